#!/usr/bin/env bash
# Container health check: GET /health on the metrics port answers 200 (the runtime image has no curl).
# Exit 0 healthy, 1 not. Port from HFT_MONITORING__METRICS_PORT, else 8080.
set -euo pipefail
port="${HFT_MONITORING__METRICS_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3
exec 3<&-
case "$status" in
  "HTTP/1.1 200"*) exit 0 ;;
  *) echo "health: ${status:-no answer}" >&2; exit 1 ;;
esac
