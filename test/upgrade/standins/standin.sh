#!/bin/bash
# Stand-ins for apt, dpkg, kubeadm, kubelet, kubectl, systemctl, curl and gpg, used
# by upgrade-run.test.ts: one script, dispatched on its name. State lives in $STANDIN_STATE:
#   pkg/<name> installed version, hold/<name> held, calls (every call, in order),
#   kubelet-running (the version the restarted kubelet runs), unschedulable.
set -euo pipefail
S=${STANDIN_STATE:?}
me=$(basename "$0")
printf '%s %s\n' "$me" "$*" >>"$S/calls"
ver() { cut -d- -f1 "$S/pkg/$1"; }
case "$me" in
  apt-cache)
    # madison lists newest first; 1.31.20 must not pass for 1.31.2.
    [ "$1" = madison ] || exit 1
    for v in $STANDIN_AVAILABLE; do printf ' %s | %s | http://repo/ Packages\n' "$2" "$v"; done ;;
  apt-get)
    for a in "$@"; do
      case "$a" in
        *=*) p=${a%%=*}; [ ! -f "$S/hold/$p" ] || { echo "E: held package $p" >&2; exit 100; }; printf '%s\n' "${a#*=}" >"$S/pkg/$p" ;;
      esac
    done ;;
  apt-mark)
    cmd=$1; shift
    case "$cmd" in
      hold) for p in "$@"; do touch "$S/hold/$p"; done ;;
      unhold) for p in "$@"; do rm -f "$S/hold/$p"; done ;;
      showhold) ls "$S/hold" ;;
    esac ;;
  dpkg-query) cat "$S/pkg/${!#}" ;;
  kubeadm)
    case "$*" in
      "version -o short") echo "v$(ver kubeadm)" ;;
      "upgrade plan "*) ;;
      "upgrade apply "*)
        # Like the real one: only the version this kubeadm is.
        [ "$3" = "v$(ver kubeadm)" ] || { echo "kubeadm v$(ver kubeadm) cannot apply $3" >&2; exit 1; }
        printf 'image: registry.k8s.io/kube-apiserver:%s\n' "$3" >/etc/kubernetes/manifests/kube-apiserver.yaml ;;
      "upgrade node") ;;
      *) exit 1 ;;
    esac ;;
  kubelet) echo "Kubernetes v$(ver kubelet)" ;;
  kubectl)
    [ "$1" != --kubeconfig ] || shift 2
    case "$1" in
      version) echo "Client Version: v$(ver kubectl)" ;;
      drain) touch "$S/unschedulable" ;;
      uncordon) rm -f "$S/unschedulable" ;;
      get)
        case "$*" in
          *kubeletVersion*) echo "v$(cat "$S/kubelet-running")" ;;
          *Ready*) echo True ;;
        esac ;;
    esac ;;
  systemctl) [ "$*" != "restart kubelet" ] || ver kubelet >"$S/kubelet-running" ;;
  curl) echo "-----BEGIN PGP PUBLIC KEY BLOCK-----" ;;
  gpg) while [ "$#" -gt 1 ] && [ "$1" != -o ]; do shift; done; cat >"${2:?}" ;;
esac
