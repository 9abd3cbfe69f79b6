#!/usr/bin/env bash
# Backups of the hft trading system, wrapping `hft backup` (online: the server snapshots without stopping trading).
#   Kubernetes: in each running hft-trading pod (or --pod), mint a short-lived admin token from the pod's own secret,
#               run `hft backup` against the pod's API listener (https://127.0.0.1:8000 --ca-file /app/tls/ca.crt when
#               the pod mounts the node certificate, as production does; else http://127.0.0.1:8000) into /tmp,
#               verify it, copy it to --out-dir, delete it there.
#   Local:      --local wraps ./hft backup (online with --url and $HFT_TOKEN, or offline from --data DIR).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
NAMESPACE="hft"
POD=""
OUT_DIR="./backups"
LOCAL=0
URL=""
DATA=""
DRY_RUN=0
# The CLI: ./hft (builds on first use); HFT_CLI overrides it, e.g. "dotnet /path/to/hft.dll".
read -r -a CLI <<<"${HFT_CLI:-$ROOT/hft}"

usage() {
  cat <<USAGE
usage: backup.sh [--namespace NS] [--pod NAME] [--out-dir DIR] [--dry-run]
       backup.sh --local [--url URL | --data DIR] [--out-dir DIR] [--dry-run]

Kubernetes (default): backs up every running pod labelled app=hft-trading in NS (default hft), or only --pod,
into DIR/<pod>-<UTC time>.tar.gz (DIR default ./backups). Each archive is verified (hft backup --verify) in the pod.
Local (--local): ./hft backup --out DIR/hft-<UTC time>.tar.gz, online from --url (admin token in \$HFT_TOKEN) or
offline from --data DIR (a stopped server's data directory); then ./hft backup --verify.
options:
  -n, --namespace NS   Kubernetes namespace (default hft)
  -p, --pod NAME       back up this pod only
  -o, --out-dir DIR    where archives are written (default ./backups)
      --local          back up a local server with ./hft instead of pods
      --url URL        --local: the running server (e.g. http://127.0.0.1:8080)
      --data DIR       --local: the data directory (offline, or where --url's server keeps its journal)
      --dry-run        print the commands instead of running them
  -h, --help           this text
exit codes: 0 every backup made and verified, 1 a backup failed, 2 bad arguments or missing tools
USAGE
}

SCRIPT_NAME=backup
# shellcheck source=deployment/scripts/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    -n|--namespace) [ $# -ge 2 ] || die "$1 needs a value"; NAMESPACE="$2"; shift 2 ;;
    -p|--pod) [ $# -ge 2 ] || die "$1 needs a value"; POD="$2"; shift 2 ;;
    -o|--out-dir) [ $# -ge 2 ] || die "$1 needs a value"; OUT_DIR="$2"; shift 2 ;;
    --local) LOCAL=1; shift ;;
    --url) [ $# -ge 2 ] || die "$1 needs a value"; URL="$2"; shift 2 ;;
    --data) [ $# -ge 2 ] || die "$1 needs a value"; DATA="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
run mkdir -p "$OUT_DIR"

if [ "$LOCAL" -eq 1 ]; then
  [ -n "$URL" ] || [ -n "$DATA" ] || die "--local needs --url URL (online) or --data DIR (offline)"
  if [ -n "$POD" ]; then die "--pod is for Kubernetes backups, not with --local"; fi
  out="$OUT_DIR/hft-$STAMP.tar.gz"
  args=(backup --out "$out")
  if [ -n "$URL" ]; then
    [ -n "${HFT_TOKEN:-}" ] || die "online backup needs an admin token in \$HFT_TOKEN (./hft token --account ADMIN --role admin)"
    args+=(--url "$URL" --token "$HFT_TOKEN")
  fi
  if [ -n "$DATA" ]; then args+=(--data "$DATA"); fi
  run "${CLI[@]}" "${args[@]}"
  run "${CLI[@]}" backup --verify "$out"
  log "wrote $out"
  exit 0
fi

if [ -n "$URL" ] || [ -n "$DATA" ]; then die "--url and --data are for --local backups"; fi
if ! command -v kubectl >/dev/null 2>&1; then
  if [ "$DRY_RUN" -eq 1 ]; then log "warning: kubectl is not installed"; else die "kubectl is not installed"; fi
fi

if [ -n "$POD" ]; then
  pods="$POD"
elif [ "$DRY_RUN" -eq 1 ] && ! kubectl get pods -n "$NAMESPACE" >/dev/null 2>&1; then
  pods="<pod>"
else
  pods="$(kubectl get pods -n "$NAMESPACE" -l app=hft-trading --field-selector=status.phase=Running \
    -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')"
fi
[ -n "$pods" ] || { log "no running hft-trading pod in namespace $NAMESPACE"; exit 1; }

# Runs in the pod: $1 = archive path there. The admin token never leaves the pod.
# shellcheck disable=SC2016 # expanded by the pod's shell, not here
REMOTE='set -euo pipefail
T="$(dotnet /app/hft.dll token --account ADMIN --role admin --lifetime 300)"
if [ -f /app/tls/ca.crt ]; then api=(--url https://127.0.0.1:8000 --ca-file /app/tls/ca.crt); else api=(--url http://127.0.0.1:8000); fi
dotnet /app/hft.dll backup "${api[@]}" --token "$T" --out "$1"
dotnet /app/hft.dll backup --verify "$1"'

failed=0
for pod in $pods; do
  remote_file="/tmp/hft-backup-$STAMP.tar.gz"
  out="$OUT_DIR/$pod-$STAMP.tar.gz"
  log "$pod -> $out"
  if run kubectl exec -n "$NAMESPACE" "$pod" -c hft-trading -- /bin/bash -c "$REMOTE" backup "$remote_file" \
    && run kubectl cp -c hft-trading "$NAMESPACE/$pod:$remote_file" "$out"; then
    log "wrote $out"
  else
    log "FAILED for $pod"
    failed=1
  fi
  run kubectl exec -n "$NAMESPACE" "$pod" -c hft-trading -- rm -f "$remote_file" || true
done
exit "$failed"
