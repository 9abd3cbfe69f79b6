#!/usr/bin/env bash
# Role labeler: the sidecar of every pod of a replicated hft group (deployment/kubernetes/replicated, or the Helm
# chart with replication.enabled). Every --interval seconds it asks the server in its own pod whether it takes order
# entry (GET /ready?role=leader on 127.0.0.1: 200 = leader) and sets the pod's own label hft.io/role=leader|follower,
# which Service hft-leader selects. Only a change is written (plus a refresh every 30 s in case the label was edited).
# Correctness never rests on the label: a follower reached through a stale label answers 421 not_leader.
# The probe uses bash's /dev/tcp because the kubectl image has no curl. A copy of this file is in the Helm chart
# (files/role-labeler.sh; HelmChartTests keeps the two equal).
set -euo pipefail

PORT=8080
INTERVAL=1
REFRESH_SECONDS=30
ONCE=0
DRY_RUN=0
POD="${POD_NAME:-${HOSTNAME:-}}"
NAMESPACE="${POD_NAMESPACE:-}"
LABEL="hft.io/role"

usage() {
  cat <<USAGE
usage: role-labeler.sh [--port N] [--interval S] [--pod NAME] [--namespace NS] [--once] [--dry-run]

Polls http://127.0.0.1:N/ready?role=leader and labels pod NAME $LABEL=leader (HTTP 200) or
$LABEL=follower (anything else: 503, refused, no answer in 2 s) with kubectl label --overwrite.
options:
      --port N        the server's HTTP port in this pod (default 8080)
      --interval S    seconds between probes (default 1)
      --pod NAME      the pod to label (default \$POD_NAME, else \$HOSTNAME)
      --namespace NS  its namespace (default \$POD_NAMESPACE, else kubectl's default)
      --once          probe and label once, then exit (exit 1 when kubectl failed)
      --dry-run       print the kubectl command instead of running it
  -h, --help          this text
exit codes: 0 stopped (TERM) or --once done, 1 --once and kubectl failed, 2 bad arguments
USAGE
}

die() { echo "role-labeler: $*" >&2; exit 2; }
log() { echo "role-labeler: $(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || die "$1 needs a value"; PORT="$2"; shift 2 ;;
    --interval) [ $# -ge 2 ] || die "$1 needs a value"; INTERVAL="$2"; shift 2 ;;
    --pod) [ $# -ge 2 ] || die "$1 needs a value"; POD="$2"; shift 2 ;;
    --namespace) [ $# -ge 2 ] || die "$1 needs a value"; NAMESPACE="$2"; shift 2 ;;
    --once) ONCE=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

if ! [[ "$PORT" =~ ^[0-9]{1,5}$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then die "invalid port '$PORT' (1..65535)"; fi
if ! [[ "$INTERVAL" =~ ^[0-9]{1,4}$ ]] || [ "$INTERVAL" -lt 1 ]; then die "invalid interval '$INTERVAL' (whole seconds >= 1)"; fi
[ -n "$POD" ] || die "no pod name: set --pod, POD_NAME or HOSTNAME"
[[ "$POD" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || die "invalid pod name '$POD'"

NS_ARGS=()
if [ -n "$NAMESPACE" ]; then NS_ARGS=(--namespace "$NAMESPACE"); fi

# leader when GET /ready?role=leader answers 200; follower otherwise. The status line is read within 2 s; a refused
# connection fails at once (the server listens on 127.0.0.1 inside the same pod).
probe_role() {
  local line=""
  line="$( { exec 3<>"/dev/tcp/127.0.0.1/${PORT}" &&
    printf 'GET /ready?role=leader HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
    IFS= read -r -t 2 status <&3 && printf '%s' "$status"; } 2>/dev/null )" || true
  if [[ "$line" =~ ^HTTP/1\.[01]\ 200([[:space:]]|$) ]]; then echo leader; else echo follower; fi
}

set_label() {
  local cmd=(kubectl label pod "$POD" "${LABEL}=$1" --overwrite --request-timeout=5s "${NS_ARGS[@]}")
  if [ "$DRY_RUN" -eq 1 ]; then
    printf '[dry-run]'
    printf ' %q' "${cmd[@]}"
    printf '\n'
  else
    "${cmd[@]}" >/dev/null
  fi
}

trap 'log "stopping"; exit 0' TERM INT

current=""
labelled_at=0
while :; do
  role="$(probe_role)"
  if [ "$role" != "$current" ] || [ $((SECONDS - labelled_at)) -ge "$REFRESH_SECONDS" ]; then
    if set_label "$role"; then
      [ "$role" = "$current" ] || log "pod $POD is $role"
      current="$role"
      labelled_at=$SECONDS
    else
      log "kubectl label pod $POD ${LABEL}=$role failed; retrying"
      [ "$ONCE" -eq 0 ] || exit 1
    fi
  fi
  [ "$ONCE" -eq 0 ] || exit 0
  # sleep in the background so that TERM is handled at once, not after the sleep
  sleep "$INTERVAL" &
  wait $! || true
done
