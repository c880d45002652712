#!/bin/bash
# gen-userdata cluster verifier for cluster {{cluster}} (gen-userdata-verify.service on
# the init node). Checks, each with a bounded wait: every profile node registered,
# Ready and on kubelet {{kubeletVersion}}; the CNI and CoreDNS rolled out; each enabled
# add-on working; the smoke workloads answering. Writes the verdict
# ({{verifiedMarker}} or {{failedMarker}}, which names the failed checks), the JSON
# report {{reportPath}}, and the same report as ConfigMap
# kube-system/{{configMap}}, which `gen-userdata status` reads.
# Re-running it is safe: `systemctl start gen-userdata-verify.service`. For a re-run,
# GEN_USERDATA_VERIFY_JOIN_TIMEOUT and GEN_USERDATA_VERIFY_ROLLOUT_TIMEOUT (seconds)
# override the profile's waits (e.g. `systemctl set-environment` before the start).
set -Eeuo pipefail
umask 077
# Flatcar keeps kubectl in /opt/bin, which systemd does not put on PATH.
export PATH=${PATH:+$PATH:}/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Logging, bounded waits and kubectl with the admin kubeconfig, shared with the bootstrap.
. {{library}}

readonly CLUSTER={{clusterQuoted}}
readonly REPORT={{reportPath}}
readonly VERIFIED={{verifiedMarker}}
readonly FAILED={{failedMarker}}
readonly NODES_FILE={{expectedNodes}}
readonly JOIN_TIMEOUT=${GEN_USERDATA_VERIFY_JOIN_TIMEOUT:-{{joinTimeoutSeconds}}}
readonly ROLLOUT_TIMEOUT=${GEN_USERDATA_VERIFY_ROLLOUT_TIMEOUT:-{{rolloutTimeoutSeconds}}}
readonly KUBELET_VERSION={{kubeletVersion}}
readonly CONFIGMAP={{configMap}}
{{#smokeTest}}
readonly SMOKE_MANIFEST={{smokeManifest}}
readonly SMOKE_NS={{smokeNamespace}}
readonly SMOKE_NODE_PORT={{smokeNodePort}}
{{/smokeTest}}
{{#smokeIngress}}
readonly INGRESS_HOST={{ingressHost}}
readonly ECHO_TEXT={{echoText}}
{{/smokeIngress}}
# shellcheck disable=SC2034 # read by wait_until (library): poll every 10 s
readonly WAIT_INTERVAL=10

log_to_file {{logPath}}

now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# Joins the arguments with ", ".
join_list() {
  local joined
  printf -v joined '%s, ' "$@"
  printf '%s' "${joined%, }"
}

# JSON string literal of $1: backslash, quote and control characters escaped.
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  s=$(printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037')
  printf '"%s"' "$s"
}

# ---------------------------------------------------------------- check results
CHECKS=()
declare -A STATUS=() MESSAGE=() AT=() EVENTS=()

# add_check NAME: registers a check as pending, in report order.
add_check() {
  CHECKS+=("$1")
  STATUS[$1]=pending
  MESSAGE[$1]=""
  AT[$1]=""
  EVENTS[$1]=""
}

# result NAME ok|failed MESSAGE [EVENTS]
result() {
  STATUS[$1]=$2
  MESSAGE[$1]=$3
  EVENTS[$1]=${4:-}
  AT[$1]=$(now)
  if [ "$2" = ok ]; then log "check $1: ok: $3"; else log "check $1: FAILED: $3"; fi
}

# The last events of namespace $1, newest last: what a failure report shows.
recent_events() {
  kubectl_admin get events -n "$1" --sort-by=.lastTimestamp 2>&1 | tail -n 15 || true
}

# ---------------------------------------------------------------- nodes
PROFILE_NODES=()
declare -A ROLE=() IP=() REGISTERED=() READY=() VERSION=()
while read -r name role ip; do
  [ -n "$name" ] || continue
  PROFILE_NODES+=("$name")
  ROLE[$name]=$role
  IP[$name]=$ip
  REGISTERED[$name]=false
  READY[$name]=false
  VERSION[$name]=""
done <"$NODES_FILE"

# shellcheck disable=SC2317 # called through wait_until
# Reads every Node's name, kubelet version and Ready status into the arrays;
# succeeds when every profile node is registered, Ready and on KUBELET_VERSION.
nodes_ready() {
  local out name version ready all=0
  out=$(kubectl_admin get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.nodeInfo.kubeletVersion}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}') || return 1
  for name in "${PROFILE_NODES[@]}"; do
    REGISTERED[$name]=false
    READY[$name]=false
    VERSION[$name]=""
  done
  while read -r name version ready; do
    [ -n "${ROLE[$name]+set}" ] || continue
    REGISTERED[$name]=true
    VERSION[$name]=$version
    [ "$ready" = True ] && READY[$name]=true
  done <<<"$out"
  for name in "${PROFILE_NODES[@]}"; do
    if [ "${READY[$name]}" != true ] || [ "${VERSION[$name]}" != "$KUBELET_VERSION" ]; then all=1; fi
  done
  return "$all"
}

# Why node $1 is not done, or "" when it is.
node_problem() {
  local name=$1
  if [ "${REGISTERED[$name]}" != true ]; then
    printf 'not registered'
  elif [ "${READY[$name]}" != true ]; then
    printf 'not Ready'
  elif [ "${VERSION[$name]}" != "$KUBELET_VERSION" ]; then
    printf 'kubelet %s, expected %s' "${VERSION[$name]}" "$KUBELET_VERSION"
  fi
}

check_nodes() {
  local name problem problems=()
  if wait_until "$JOIN_TIMEOUT" "every profile node Ready on kubelet $KUBELET_VERSION" nodes_ready; then
    result nodes ok "${#PROFILE_NODES[@]} node(s) Ready on kubelet $KUBELET_VERSION"
    return
  fi
  for name in "${PROFILE_NODES[@]}"; do
    problem=$(node_problem "$name")
    [ -z "$problem" ] || problems+=("$name ($problem)")
  done
  result nodes failed "after ${JOIN_TIMEOUT}s: $(join_list "${problems[@]}")"
}

# ---------------------------------------------------------------- rollouts
# rolled_out CHECK NAMESPACE KIND/NAME: waits up to ROLLOUT_TIMEOUT for the rollout;
# when it does not finish, CHECK fails with kubectl's last line and the events.
rolled_out() {
  local check=$1 ns=$2 object=$3 out
  if out=$(kubectl_admin -n "$ns" rollout status "$object" --timeout="${ROLLOUT_TIMEOUT}s" 2>&1); then
    return 0
  fi
  result "$check" failed "$object in $ns not rolled out after ${ROLLOUT_TIMEOUT}s: $(tail -n 1 <<<"$out")" "$(recent_events "$ns")"
  return 1
}

# rollout CHECK NAMESPACE KIND/NAME: a check that is just the rollout.
rollout() {
  rolled_out "$@" || return 1
  result "$1" ok "$3 in $2 rolled out"
}

# ---------------------------------------------------------------- add-ons
{{#metricsServer}}
# shellcheck disable=SC2317 # called through wait_until
top_nodes() { kubectl_admin top nodes >/dev/null 2>&1; }

check_metrics_server() {
  rolled_out metrics-server kube-system deployment/metrics-server || return 0
  if wait_until "$ROLLOUT_TIMEOUT" "kubectl top nodes" top_nodes; then
    result metrics-server ok "deployment/metrics-server rolled out; kubectl top nodes answers"
  else
    result metrics-server failed "kubectl top nodes gave no metrics within ${ROLLOUT_TIMEOUT}s: $(kubectl_admin top nodes 2>&1 | tail -n 1)" "$(recent_events kube-system)"
  fi
}
{{/metricsServer}}

# ---------------------------------------------------------------- smoke workloads
{{#smokeTest}}
# The profile nodes that are Ready and of role $1 ("any" for every role).
ready_nodes() {
  local name
  for name in "${PROFILE_NODES[@]}"; do
    [ "${READY[$name]}" = true ] || continue
    [ "$1" = any ] || [ "${ROLE[$name]}" = "$1" ] || continue
    printf '%s\n' "$name"
  done
}

# The HTTP status code of URL $1 (000 when nothing answered).
http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true
}

# Nodes (names) still waiting for an answer in the two checks below.
PENDING=()

# shellcheck disable=SC2317 # called through wait_until
# all_answer FN: succeeds once `FN NODE` succeeded for every node in PENDING; drops
# each node that did, so a retry asks only the others.
all_answer() {
  local name left=()
  for name in "${PENDING[@]}"; do
    "$1" "$name" || left+=("$name")
  done
  PENDING=("${left[@]}")
  [ "${#PENDING[@]}" -eq 0 ]
}

# shellcheck disable=SC2317 # called through all_answer
# Node $1 answers HTTP 200 on the smoke NodePort.
nodeport_answers() { [ "$(http_status "http://${IP[$1]}:$SMOKE_NODE_PORT/")" = 200 ]; }

check_smoke_nodeport() {
  local name failed=()
  rolled_out smoke-nodeport "$SMOKE_NS" deployment/nginx || return 0
  # Every Ready node, control planes too: kube-proxy must forward from any node to
  # the pod wherever it runs (CNI across nodes, firewall rules).
  mapfile -t PENDING < <(ready_nodes any)
  local targets=("${PENDING[@]}")
  if wait_until "$ROLLOUT_TIMEOUT" "HTTP 200 from NodePort $SMOKE_NODE_PORT of every Ready node" all_answer nodeport_answers; then
    result smoke-nodeport ok "nginx answers 200 on NodePort $SMOKE_NODE_PORT of: $(join_list "${targets[@]}")"
    return
  fi
  for name in "${PENDING[@]}"; do
    failed+=("$name ${IP[$name]}:$SMOKE_NODE_PORT answered $(http_status "http://${IP[$name]}:$SMOKE_NODE_PORT/")")
  done
  result smoke-nodeport failed "no HTTP 200 within ${ROLLOUT_TIMEOUT}s: $(join_list "${failed[@]}")" "$(recent_events "$SMOKE_NS")"
}

{{#smokeIngress}}
INGRESS_PORT=""

# shellcheck disable=SC2317 # called through all_answer
# The controller on node $1 routes Host $INGRESS_HOST to the echo API (its answer is the echo text).
ingress_answers() {
  [ "$(curl -s --max-time 5 -H "Host: $INGRESS_HOST" "http://${IP[$1]}:$INGRESS_PORT/" 2>/dev/null || true)" = "$ECHO_TEXT" ]
}

check_smoke_ingress() {
  local name failed=()
  rolled_out smoke-ingress "$SMOKE_NS" deployment/echo || return 0
{{#ingressHostPort}}
  # hostPort: the controller pods on the workers bind port 80 of their node.
  INGRESS_PORT=80
  mapfile -t PENDING < <(ready_nodes worker)
{{/ingressHostPort}}
{{^ingressHostPort}}
  # nodePort: the controller's Service answers on its HTTP NodePort of every node.
  INGRESS_PORT=$(kubectl_admin -n ingress-nginx get service ingress-nginx-controller -o jsonpath='{.spec.ports[?(@.name=="http")].nodePort}' 2>/dev/null || true)
  mapfile -t PENDING < <(ready_nodes any)
{{/ingressHostPort}}
  if [ -z "$INGRESS_PORT" ] || [ "${#PENDING[@]}" -eq 0 ]; then
    result smoke-ingress failed "nowhere to send the request (port '$INGRESS_PORT', Ready nodes: '${PENDING[*]}')"
    return
  fi
  local targets=("${PENDING[@]}")
  if wait_until "$ROLLOUT_TIMEOUT" "$INGRESS_HOST through the ingress on port $INGRESS_PORT" all_answer ingress_answers; then
    result smoke-ingress ok "Host $INGRESS_HOST on port $INGRESS_PORT answers with the echo text on: $(join_list "${targets[@]}")"
    return
  fi
  for name in "${PENDING[@]}"; do failed+=("$name ${IP[$name]}:$INGRESS_PORT"); done
  result smoke-ingress failed "no echo text for Host $INGRESS_HOST within ${ROLLOUT_TIMEOUT}s: $(join_list "${failed[@]}")" \
    "$(recent_events "$SMOKE_NS")"$'\n'"$(recent_events ingress-nginx)"
}
{{/smokeIngress}}

{{#smokeHpa}}
# shellcheck disable=SC2317 # called through wait_until
hpa_cpu() {
  local cpu
  cpu=$(kubectl_admin -n "$SMOKE_NS" get hpa nginx -o jsonpath='{.status.currentMetrics[0].resource.current.averageUtilization}' 2>/dev/null) || return 1
  [ -n "$cpu" ] || return 1
  HPA_CPU=$cpu
}

check_smoke_hpa() {
  HPA_CPU=""
  if wait_until "$ROLLOUT_TIMEOUT" "the HPA to report CPU utilization" hpa_cpu; then
    result smoke-hpa ok "hpa/nginx reports CPU at ${HPA_CPU}% of requests (target 60%)"
  else
    result smoke-hpa failed "hpa/nginx reported no CPU utilization within ${ROLLOUT_TIMEOUT}s" "$(recent_events "$SMOKE_NS")"
  fi
}
{{/smokeHpa}}
{{/smokeTest}}

# ---------------------------------------------------------------- report
VERDICT=running
STARTED=$(now)
FINISHED=""

report_json() {
  local name first=1
  printf '{"cluster":%s,"kubernetesVersion":%s,"verdict":%s,"startedAt":%s,"finishedAt":%s,"nodes":[' \
    "$(json_str "$CLUSTER")" "$(json_str "$KUBELET_VERSION")" "$(json_str "$VERDICT")" "$(json_str "$STARTED")" "$(json_str "$FINISHED")"
  for name in "${PROFILE_NODES[@]}"; do
    [ "$first" = 1 ] || printf ','
    first=0
    printf '{"name":%s,"role":%s,"ip":%s,"registered":%s,"ready":%s,"kubeletVersion":%s,"problem":%s}' \
      "$(json_str "$name")" "$(json_str "${ROLE[$name]}")" "$(json_str "${IP[$name]}")" "${REGISTERED[$name]}" "${READY[$name]}" \
      "$(json_str "${VERSION[$name]}")" "$(json_str "$(node_problem "$name")")"
  done
  printf '],"checks":['
  first=1
  for name in "${CHECKS[@]}"; do
    [ "$first" = 1 ] || printf ','
    first=0
    printf '{"name":%s,"status":%s,"message":%s,"at":%s,"events":%s}' \
      "$(json_str "$name")" "$(json_str "${STATUS[$name]}")" "$(json_str "${MESSAGE[$name]}")" "$(json_str "${AT[$name]}")" "$(json_str "${EVENTS[$name]}")"
  done
  printf ']}\n'
}

# publish ATTEMPTS: writes the report file and applies it as the ConfigMap (a JSON
# manifest, which is YAML), trying the apply up to ATTEMPTS times.
publish() {
  local attempts=$1 json manifest
  json=$(report_json)
  mkdir -p "$(dirname "$REPORT")"
  printf '%s\n' "$json" >"$REPORT.tmp"
  mv -f "$REPORT.tmp" "$REPORT"
  manifest=$(mktemp)
  printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":%s,"namespace":"kube-system","labels":{"app.kubernetes.io/managed-by":"gen-userdata"}},"data":{"report.json":%s}}\n' \
    "$(json_str "$CONFIGMAP")" "$(json_str "$json")" >"$manifest"
  if retry "$attempts" 5 kubectl_admin apply -f "$manifest" >/dev/null; then
    rm -f "$manifest"
    return 0
  fi
  rm -f "$manifest"
  log "could not store the report as ConfigMap kube-system/$CONFIGMAP"
  return 1
}

# ---------------------------------------------------------------- run
rm -f "$VERIFIED" "$FAILED"
log "verifying cluster $CLUSTER: nodes within ${JOIN_TIMEOUT}s, each rollout within ${ROLLOUT_TIMEOUT}s"
add_check nodes
{{#cniRollout}}
add_check cni
{{/cniRollout}}
add_check coredns
{{#metricsServer}}
add_check metrics-server
{{/metricsServer}}
{{#ingressNginx}}
add_check ingress-nginx
{{/ingressNginx}}
{{#smokeTest}}
add_check smoke-nodeport
{{#smokeIngress}}
add_check smoke-ingress
{{/smokeIngress}}
{{#smokeHpa}}
add_check smoke-hpa
{{/smokeHpa}}
{{/smokeTest}}
publish 1 || true

check_nodes
{{#cniRollout}}
rollout cni {{cniNamespace}} {{cniRollout}} || true
{{/cniRollout}}
rollout coredns kube-system deployment/coredns || true
{{#metricsServer}}
check_metrics_server
{{/metricsServer}}
{{#ingressNginx}}
rollout ingress-nginx ingress-nginx deployment/ingress-nginx-controller || true
{{/ingressNginx}}
{{#smokeTest}}
if out=$(kubectl_admin apply -f "$SMOKE_MANIFEST" 2>&1); then
  log "smoke workloads applied in namespace $SMOKE_NS"
  check_smoke_nodeport
{{#smokeIngress}}
  check_smoke_ingress
{{/smokeIngress}}
{{#smokeHpa}}
  check_smoke_hpa
{{/smokeHpa}}
else
  for name in "${CHECKS[@]}"; do
    case $name in smoke-*) result "$name" failed "kubectl apply of the smoke workloads failed: $(tail -n 1 <<<"$out")" ;; esac
  done
fi
{{/smokeTest}}

failures=()
for name in "${CHECKS[@]}"; do
  [ "${STATUS[$name]}" = ok ] || failures+=("$name: ${MESSAGE[$name]}")
done
FINISHED=$(now)
if [ "${#failures[@]}" -eq 0 ]; then VERDICT=verified; else VERDICT=failed; fi
if ! publish 5; then
  failures+=("report: could not store ConfigMap kube-system/$CONFIGMAP")
  VERDICT=failed
  publish 1 || true
fi
if [ "$VERDICT" = verified ]; then
{{#smokeTest}}
{{^keepSmokeWorkloads}}
  kubectl_admin delete namespace "$SMOKE_NS" --wait=false || log "could not delete namespace $SMOKE_NS"
{{/keepSmokeWorkloads}}
{{/smokeTest}}
  now >"$VERIFIED"
  log "cluster $CLUSTER verified"
  exit 0
fi
printf '%s\n' "${failures[@]}" >"$FAILED"
log "cluster $CLUSTER NOT verified: ${#failures[@]} check(s) failed (see $FAILED)"
exit 1
