#!/usr/bin/env bash
# REST load run: starts `./hft serve` (Release) on a loopback port, mints tokens with `./hft token`, runs wrk with
# bench/rest/post-orders.lua, prints wrk's report and what the server holds afterwards, then stops the server with
# SIGTERM. Everything is bounded in time.
#
#   bench/rest/run.sh                      # 20 s, 2 threads, 64 connections, port 18080
#   DURATION=10 CONNECTIONS=32 bench/rest/run.sh
#
# Needs wrk (Debian: apt-get install -y wrk). Loopback only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION="${DURATION:-20}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
PORT="${PORT:-18080}"
WARMUP="${WARMUP:-5}"
LOG="${LOG:-$(mktemp -t hft-rest-bench.XXXXXX.log)}"

command -v wrk >/dev/null || { echo "run.sh: wrk not found (apt-get install -y wrk)" >&2; exit 1; }

# Load settings: no global order throttle, no per-account request limit, room for open orders.
export HFT_CONFIG_DIR="$ROOT/config"
export HFT_MONITORING__METRICS_PORT="$PORT"
export HFT_TRADING__MAX_ORDERS_PER_SECOND=0
export HFT_ACCOUNTS__A1__REQUESTS_PER_SECOND=0
export HFT_ACCOUNTS__A2__REQUESTS_PER_SECOND=0
export HFT_RISK__MAX_OPEN_ORDERS=1000000

cd "$ROOT"
./hft token --account A1 --role trader >/dev/null   # builds the CLI (Release) when sources changed
HFT_BENCH_TOKEN_A1="$(./hft token --account A1 --role trader --lifetime 3600)"
HFT_BENCH_TOKEN_A2="$(./hft token --account A2 --role trader --lifetime 3600)"
export HFT_BENCH_TOKEN_A1 HFT_BENCH_TOKEN_A2

./hft serve >"$LOG" 2>&1 &
SERVER=$!
stop_server() {
  if kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"
    for _ in $(seq 1 150); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER" 2>/dev/null && kill -KILL "$SERVER"
  fi
  wait "$SERVER" 2>/dev/null || true
}
trap stop_server EXIT

for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null || { echo "run.sh: server not ready" >&2; cat "$LOG" >&2; exit 1; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC')  $(nproc) cores  $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "# server: ./hft serve (development profile, Release), log $LOG"
if [ "$WARMUP" -gt 0 ]; then
  echo "# warm-up: ${WARMUP}s (JIT, tiered PGO), not reported"
  timeout $((WARMUP + 30)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" -s bench/rest/post-orders.lua \
    "http://127.0.0.1:$PORT" >/dev/null
fi
echo "# wrk -t $THREADS -c $CONNECTIONS -d ${DURATION}s --latency -s bench/rest/post-orders.lua http://127.0.0.1:$PORT"
timeout $((DURATION + 60)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency --timeout 10s \
  -s bench/rest/post-orders.lua "http://127.0.0.1:$PORT"

echo "# afterwards:"
curl -s -H "Authorization: Bearer $HFT_BENCH_TOKEN_A1" "http://127.0.0.1:$PORT/api/v1/account"; echo
curl -s -H "Authorization: Bearer $HFT_BENCH_TOKEN_A1" "http://127.0.0.1:$PORT/api/v1/positions"; echo
if curl -sf "http://127.0.0.1:$PORT/debug/latency" >/dev/null 2>&1; then
  echo "# server-side latency (/debug/latency):"; curl -s "http://127.0.0.1:$PORT/debug/latency"; echo
else
  echo "# server-side latency: /debug/latency not available in this build"
fi
stop_server
trap - EXIT
echo "# server log tail:"; tail -n 3 "$LOG"
