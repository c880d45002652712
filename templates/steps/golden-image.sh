  # image.prebaked: this node skips what provision.sh baked into the image, so the image
  # must be a gen-userdata golden image made for this profile.
  if [ ! -f {{provisionDone}} ]; then
    log "not a gen-userdata golden image: {{provisionDone}} is missing (build the image with gen-userdata image, or set image.prebaked: false)"
    return 1
  fi
  local out
  if ! out=$(printf '%s\n' \
    {{checksums}} | sha256sum --check --strict --quiet 2>&1); then
    log "the golden image's files differ from this profile (rebuild it with gen-userdata image):"
    log "$out"
    return 1
  fi
  log "golden image matches this profile ({{count}} baked files)"
