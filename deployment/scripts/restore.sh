#!/usr/bin/env bash
# Restores the hft trading system from an `hft backup` archive, wrapping `hft restore` (which verifies first and
# changes nothing when the archive is bad).
#   Local:      --data DIR: ./hft backup --verify FILE, then ./hft restore FILE --data DIR [--force] (server stopped).
#   Kubernetes: the archive becomes the restore point /backups/restore/pending.tar.gz (volume hft-backups), verified
#               in a pod; then --pod NAME replaces that pod, or --all restarts the rollout: a new pod whose data volume
#               holds no journal restores the restore point in its init container before the server starts.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
NAMESPACE="hft"
DEPLOYMENT="hft-trading-system"
PENDING="/backups/restore/pending.tar.gz"
ARCHIVE=""
DATA=""
FORCE=0
POD=""
ALL=0
CLEAR=0
DRY_RUN=0
# The CLI: ./hft (builds on first use); HFT_CLI overrides it, e.g. "dotnet /path/to/hft.dll".
read -r -a CLI <<<"${HFT_CLI:-$ROOT/hft}"

usage() {
  cat <<USAGE
usage: restore.sh --archive FILE --data DIR [--force] [--dry-run]                 (local, server stopped)
       restore.sh --archive FILE (--pod NAME | --all) [--namespace NS] [--dry-run] (Kubernetes)
       restore.sh --clear [--namespace NS] [--dry-run]                            (Kubernetes: drop the restore point)

Local: verifies FILE (hft backup --verify) and restores it into DIR (hft restore FILE --data DIR); DIR must be
empty unless --force (its snapshot-* and journal-* files are then replaced). Start the server on DIR afterwards.
Kubernetes: copies FILE to $PENDING through a running pod, verifies it there, then replaces --pod NAME
(kubectl delete pod) or every pod (--all: kubectl rollout restart deployment/$DEPLOYMENT). Pods starting with an
empty data volume restore it before the server starts. Remove it with --clear once the restore is done.
options:
  -a, --archive FILE   the backup archive (.tar.gz from hft backup / backup.sh)
  -d, --data DIR       local: the data directory to restore into
      --force          local: replace the journal and snapshots already in DIR
  -p, --pod NAME       Kubernetes: replace this pod after staging the restore point
      --all            Kubernetes: replace every pod (rolling restart)
      --clear          Kubernetes: delete the restore point
  -n, --namespace NS   Kubernetes namespace (default hft)
      --dry-run        print the commands instead of running them
  -h, --help           this text
exit codes: 0 restored (or staged), 1 failed (nothing changed when the archive does not verify), 2 bad arguments
USAGE
}

SCRIPT_NAME=restore
# shellcheck source=deployment/scripts/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    -a|--archive) [ $# -ge 2 ] || die "$1 needs a value"; ARCHIVE="$2"; shift 2 ;;
    -d|--data) [ $# -ge 2 ] || die "$1 needs a value"; DATA="$2"; shift 2 ;;
    --force) FORCE=1; shift ;;
    -p|--pod) [ $# -ge 2 ] || die "$1 needs a value"; POD="$2"; shift 2 ;;
    --all) ALL=1; shift ;;
    --clear) CLEAR=1; shift ;;
    -n|--namespace) [ $# -ge 2 ] || die "$1 needs a value"; NAMESPACE="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

# A running pod of the deployment (to reach the hft-backups volume).
any_pod() {
  if [ "$DRY_RUN" -eq 1 ] && ! kubectl get pods -n "$NAMESPACE" >/dev/null 2>&1; then echo "<pod>"; return 0; fi
  kubectl get pods -n "$NAMESPACE" -l app=hft-trading --field-selector=status.phase=Running \
    -o jsonpath='{.items[0].metadata.name}'
}

if [ "$CLEAR" -eq 1 ]; then
  if [ -n "$ARCHIVE" ] || [ -n "$DATA" ] || [ -n "$POD" ] || [ "$ALL" -eq 1 ]; then die "--clear takes only --namespace and --dry-run"; fi
  pod="$(any_pod)"
  [ -n "$pod" ] || { log "no running hft-trading pod in $NAMESPACE"; exit 1; }
  run kubectl exec -n "$NAMESPACE" "$pod" -c hft-trading -- rm -f "$PENDING"
  log "restore point removed: new pods start empty unless their volume holds a journal"
  exit 0
fi

[ -n "$ARCHIVE" ] || { usage >&2; die "--archive is required"; }
[ -f "$ARCHIVE" ] || die "no file '$ARCHIVE'"

if [ -n "$DATA" ]; then
  if [ -n "$POD" ] || [ "$ALL" -eq 1 ]; then die "--data (local) cannot be combined with --pod/--all (Kubernetes)"; fi
  args=(restore "$ARCHIVE" --data "$DATA")
  if [ "$FORCE" -eq 1 ]; then args+=(--force); fi
  if ! run "${CLI[@]}" backup --verify "$ARCHIVE"; then
    log "the archive does not verify; nothing restored"
    exit 1
  fi
  run "${CLI[@]}" "${args[@]}"
  log "restored $ARCHIVE into $DATA: start the server on it (recovery loads the snapshot, replays the journal)"
  exit 0
fi

[ "$FORCE" -eq 0 ] || die "--force is for local restores (--data)"
if [ -z "$POD" ] && [ "$ALL" -eq 0 ]; then die "give --data DIR (local), or --pod NAME or --all (Kubernetes)"; fi
if [ -n "$POD" ] && [ "$ALL" -eq 1 ]; then die "--pod and --all exclude each other"; fi
if ! command -v kubectl >/dev/null 2>&1 && [ "$DRY_RUN" -eq 0 ]; then die "kubectl is not installed"; fi

pod="$(any_pod)"
[ -n "$pod" ] || { log "no running hft-trading pod in $NAMESPACE"; exit 1; }
staged="/backups/restore/incoming.tar.gz"
run kubectl exec -n "$NAMESPACE" "$pod" -c hft-trading -- mkdir -p /backups/restore
run kubectl cp -c hft-trading "$ARCHIVE" "$NAMESPACE/$pod:$staged"
if ! run kubectl exec -n "$NAMESPACE" "$pod" -c hft-trading -- dotnet /app/hft.dll backup --verify "$staged"; then
  run kubectl exec -n "$NAMESPACE" "$pod" -c hft-trading -- rm -f "$staged" || true
  log "the archive does not verify; nothing changed"
  exit 1
fi
run kubectl exec -n "$NAMESPACE" "$pod" -c hft-trading -- mv -f "$staged" "$PENDING"
log "restore point staged at $PENDING"
if [ -n "$POD" ]; then
  run kubectl delete pod "$POD" -n "$NAMESPACE" --wait=true
else
  run kubectl rollout restart "deployment/$DEPLOYMENT" -n "$NAMESPACE"
fi
run kubectl rollout status "deployment/$DEPLOYMENT" -n "$NAMESPACE" --timeout 600s
log "done; check the restored state (GET /debug/state-hash) and run 'restore.sh --clear' when satisfied"
