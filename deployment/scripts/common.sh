# Helpers sourced by deploy.sh, backup.sh and restore.sh (each sets SCRIPT_NAME and DRY_RUN first).
# shellcheck shell=bash

die() { echo "$SCRIPT_NAME: $*" >&2; exit 2; }
log() { echo "$SCRIPT_NAME: $*" >&2; }

# Runs a command that changes something, or prints it with --dry-run.
run() {
  if [ "$DRY_RUN" -eq 1 ]; then
    printf '[dry-run]'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}
