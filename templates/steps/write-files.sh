  # No cloud-init runs at image build time: write what first boot gets from write_files.
{{#files}}
{{#text}}
  install -D -m {{mode}} -o {{user}} -g {{group}} /dev/stdin {{path}} <<'{{delimiter}}'
{{{content}}}{{delimiter}}
{{/text}}
{{#base64}}
  base64 -d <<'{{delimiter}}' | install -D -m {{mode}} -o {{user}} -g {{group}} /dev/stdin {{path}}
{{{content}}}
{{delimiter}}
{{/base64}}
{{/files}}
  log "wrote {{count}} files"
