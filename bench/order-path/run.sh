#!/usr/bin/env bash
# Order-path figures of one build: for each point a fresh server (journal async in a temp dir, feed off, throttle
# off, room for open orders) on loopback ports, a short unreported warm-up, then the measured load; one JSON object per
# point on stdout (loadgen's --json report, or wrk's summary). Everything is bounded in time.
#
#   bench/order-path/run.sh                       # this checkout's build (./hft)
#   HFT_DLL=/tmp/before/.build/cli/hft.dll bench/order-path/run.sh   # another build, same points
#   POINTS="binary-paced-1 binary-flat-4" DURATION=5 bench/order-path/run.sh
#   LOADGEN_DLL=/path/hft.dll ...   # drive the server with another build's loadgen (same load tool for two servers)
#   CONFIG_DIR=/tmp/before/config ... # the server's config directory (an older build knows only its own keys)
#
# Points: binary-paced-1, binary-paced-4 (50,000 req/s), binary-flat-4 (window 256), fix-flat-2, rest-flat-16
# (loadgen), rest-wrk (wrk 2 threads, 32 connections; needs wrk). Server and load share the machine's cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
POINTS="${POINTS:-binary-paced-1 binary-paced-4 binary-flat-4 fix-flat-2 rest-flat-16 rest-wrk}"
HTTP_PORT="${HTTP_PORT:-18080}" BIN_PORT="${BIN_PORT:-19100}" FIX_PORT="${FIX_PORT:-19878}"
if [ -n "${HFT_DLL:-}" ]; then HFT=(dotnet "$HFT_DLL"); else "$ROOT/hft" token --account A1 --role trader >/dev/null; HFT=(dotnet "$ROOT/.build/cli/hft.dll"); fi
if [ -n "${LOADGEN_DLL:-}" ]; then LOADGEN=(dotnet "$LOADGEN_DLL"); else LOADGEN=("${HFT[@]}"); fi
CONFIG_DIR="${CONFIG_DIR:-$ROOT/config}"
WORK="$(mktemp -d -t hft-order-path.XXXXXX)"
trap 'stop_server; rm -rf "$WORK"' EXIT
SERVER=""

start_server() {
  rm -rf "$WORK/data" "$WORK/fix"; mkdir -p "$WORK/data" "$WORK/fix"
  ( cd "$ROOT" && exec env HFT_CONFIG_DIR="$CONFIG_DIR" HFT_MONITORING__METRICS_PORT="$HTTP_PORT" HFT_GATEWAY__BINARY_PORT="$BIN_PORT" \
      HFT_GATEWAY__FIX_PORT="$FIX_PORT" HFT_GATEWAY__FIX_STORE_DIR="$WORK/fix" HFT_SERVER__AUDIT_LOG="$WORK/audit.log" \
      HFT_TRADING__MAX_ORDERS_PER_SECOND=0 HFT_JOURNAL__MODE=async HFT_JOURNAL__DIR="$WORK/data" HFT_FEED__ENABLED=false \
      HFT_RISK__MAX_OPEN_ORDERS=1000000 HFT_ACCOUNTS__A1__MAX_OPEN_ORDERS=1000000 HFT_ACCOUNTS__A2__MAX_OPEN_ORDERS=1000000 \
      HFT_ACCOUNTS__A1__REQUESTS_PER_SECOND=0 HFT_ACCOUNTS__A2__REQUESTS_PER_SECOND=0 \
      "${HFT[@]}" serve >"$WORK/server.log" 2>&1 ) &
  SERVER=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$HTTP_PORT/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "run.sh: server not ready" >&2; cat "$WORK/server.log" >&2; exit 1
}

stop_server() {
  [ -n "$SERVER" ] || return 0
  kill -TERM "$SERVER" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}

loadgen() { timeout $(( ${2} + 60 )) "${LOADGEN[@]}" loadgen --url "http://127.0.0.1:$HTTP_PORT" --port "$BIN_PORT" --fix-port "$FIX_PORT" --duration "$2" $1; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), server ${HFT[*]}, load ${LOADGEN[*]}" >&2
for point in $POINTS; do
  case "$point" in
    binary-paced-1) args="--connections 1 --rate 50000" ;;
    binary-paced-4) args="--connections 4 --rate 50000" ;;
    binary-flat-4)  args="--connections 4 --window 256" ;;
    fix-flat-2)     args="--protocol fix --connections 2" ;;
    rest-flat-16)   args="--protocol rest --connections 16" ;;
    rest-wrk)       args="" ;;
    *) echo "run.sh: unknown point $point" >&2; exit 2 ;;
  esac
  start_server
  if [ "$point" = rest-wrk ]; then
    command -v wrk >/dev/null || { echo "run.sh: wrk not found (apt-get install -y wrk)" >&2; stop_server; continue; }
    HFT_BENCH_TOKEN_A1="$(HFT_CONFIG_DIR="$CONFIG_DIR" "${HFT[@]}" token --account A1 --role trader --lifetime 3600)"
    HFT_BENCH_TOKEN_A2="$(HFT_CONFIG_DIR="$CONFIG_DIR" "${HFT[@]}" token --account A2 --role trader --lifetime 3600)"
    export HFT_BENCH_TOKEN_A1 HFT_BENCH_TOKEN_A2
    timeout $((WARMUP + 30)) wrk -t 2 -c 32 -d "${WARMUP}s" -s "$ROOT/bench/rest/post-orders.lua" "http://127.0.0.1:$HTTP_PORT" >/dev/null
    out="$(timeout $((DURATION + 60)) wrk -t 2 -c 32 -d "${DURATION}s" --latency --timeout 10s -s "$ROOT/bench/rest/post-orders.lua" "http://127.0.0.1:$HTTP_PORT")"
    echo "{\"point\":\"$point\",\"wrk\":\"$(echo "$out" | grep -E '^(orders/s|non-2xx|accepted/s|latency|socket)' | tr '\n' ';' | sed 's/"/\\"/g')\"}"
  else
    loadgen "$args" "$WARMUP" >/dev/null 2>&1 || true
    echo "{\"point\":\"$point\",\"report\":$(loadgen "$args --json" "$DURATION" 2>/dev/null | tr -d '\n')}"
  fi
  stop_server
done
