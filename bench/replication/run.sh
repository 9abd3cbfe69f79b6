#!/usr/bin/env bash
# Replication figures of one build, single node and a 3-node Raft group in the same run: for each setup fresh nodes
# (journal sync in a temp dir, feed off, throttle off, room for open orders) on loopback ports, a short unreported
# warm-up, then binary flat out (4 connections, window 256) and REST sequential (1 connection, 1 request at a time);
# one JSON object per point on stdout (loadgen's --json report, plus the leader's /replication/status, the leader
# changes every node counted - a follower that loses sight of the leader for a moment counts one too - and the
# elections, i.e. how far the highest term moved). Everything is bounded in time. All nodes and the load generator share the machine.
#
#   bench/replication/run.sh                                    # this checkout's build (./hft)
#   HFT_DLL=/tmp/before/.build/cli/hft.dll CONFIG_DIR=/tmp/before/config bench/replication/run.sh   # another build
#   SETUPS="group" POINTS="binary-flat-4" DURATION=60 bench/replication/run.sh   # a long flat-out run, no kill
#   ACK=leader ... ; ELECTION_TIMEOUT_MS=300 ...                # [replication] ack / election_timeout_ms of the group
#
# Setups: single (one node, not replicated), group (3 nodes, ack = $ACK). Points: binary-flat-4, rest-seq.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
SETUPS="${SETUPS:-single group}"
POINTS="${POINTS:-binary-flat-4 rest-seq}"
ACK="${ACK:-majority}"
if [ -n "${HFT_DLL:-}" ]; then HFT=(dotnet "$HFT_DLL"); else "$ROOT/hft" token --account A1 --role trader >/dev/null; HFT=(dotnet "$ROOT/.build/cli/hft.dll"); fi
if [ -n "${LOADGEN_DLL:-}" ]; then LOADGEN=(dotnet "$LOADGEN_DLL"); else LOADGEN=("${HFT[@]}"); fi
CONFIG_DIR="${CONFIG_DIR:-$ROOT/config}"
WORK="$(mktemp -d -t hft-replication.XXXXXX)"
HTTP=(18280 18281 18282) BIN=(19300 19301 19302) RAFT=(19400 19401 19402)
PIDS=()
trap 'stop_nodes; rm -rf "$WORK"' EXIT

node_env() { # $1 = node index, $2 = setup
  local i=$1 d="$WORK/n$1"
  echo HFT_CONFIG_DIR="$CONFIG_DIR" HFT_MONITORING__METRICS_PORT="${HTTP[$i]}" HFT_SERVER__HTTP_PORT=0 HFT_GATEWAY__BINARY_PORT="${BIN[$i]}" \
    HFT_GATEWAY__FIX_PORT=0 HFT_GATEWAY__FIX_STORE_DIR="$d/fix" HFT_SERVER__AUDIT_LOG="$d/audit.log" \
    HFT_TRADING__MAX_ORDERS_PER_SECOND=0 HFT_JOURNAL__MODE=sync HFT_JOURNAL__DIR="$d/journal" HFT_FEED__ENABLED=false \
    HFT_RISK__MAX_OPEN_ORDERS=1000000 HFT_ACCOUNTS__A1__MAX_OPEN_ORDERS=1000000 HFT_ACCOUNTS__A2__MAX_OPEN_ORDERS=1000000 \
    HFT_ACCOUNTS__A1__REQUESTS_PER_SECOND=0 HFT_ACCOUNTS__A2__REQUESTS_PER_SECOND=0
  if [ "$2" = group ]; then
    echo HFT_REPLICATION__ENABLED=true HFT_REPLICATION__NODE_ID="$i" HFT_REPLICATION__ACK="$ACK" \
      HFT_REPLICATION__PEERS="127.0.0.1:${RAFT[0]},127.0.0.1:${RAFT[1]},127.0.0.1:${RAFT[2]}" \
      HFT_REPLICATION__API_URLS="http://127.0.0.1:${HTTP[0]},http://127.0.0.1:${HTTP[1]},http://127.0.0.1:${HTTP[2]}"
    [ -z "${ELECTION_TIMEOUT_MS:-}" ] || echo HFT_REPLICATION__ELECTION_TIMEOUT_MS="$ELECTION_TIMEOUT_MS"
  fi
}

start_nodes() { # $1 = setup; sets LEADER to the index of the node taking orders
  local setup=$1 n=1
  [ "$setup" = group ] && n=3
  rm -rf "$WORK"/n*; PIDS=()
  for i in $(seq 0 $((n - 1))); do
    mkdir -p "$WORK/n$i/fix"
    ( cd "$ROOT" && exec env $(node_env "$i" "$setup") "${HFT[@]}" serve >"$WORK/n$i.log" 2>&1 ) &
    PIDS+=($!)
  done
  for _ in $(seq 1 600); do
    for i in $(seq 0 $((n - 1))); do
      if curl -sf "http://127.0.0.1:${HTTP[$i]}/ready?role=leader" >/dev/null 2>&1; then LEADER=$i; return 0; fi
      kill -0 "${PIDS[$i]}" 2>/dev/null || { cat "$WORK/n$i.log" >&2; exit 1; }
    done
    sleep 0.1
  done
  echo "run.sh: no node took order entry" >&2; cat "$WORK"/n*.log >&2; exit 1
}

stop_nodes() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  PIDS=()
}

leader_changes() { # sum over the nodes of hft_replication_leader_changes_total, and exit codes of nodes that died
  local sum=0 v
  for i in "${!PIDS[@]}"; do
    v="$(curl -sf "http://127.0.0.1:${HTTP[$i]}/metrics" 2>/dev/null | sed -n 's/^hft_replication_leader_changes_total \([0-9.e+]*\)$/\1/p' | head -1)"
    sum=$(python3 -c "print(int($sum + float('${v:-0}')))")
  done
  echo "$sum"
}

max_term() { # the highest Raft term any node reports: it moves only when an election happened
  local max=0 t
  for i in "${!PIDS[@]}"; do
    t="$(curl -sf "http://127.0.0.1:${HTTP[$i]}/replication/status" 2>/dev/null | sed -n 's/.*"term":\([0-9]*\).*/\1/p' || true)"
    [ -n "$t" ] && [ "$t" -gt "$max" ] && max=$t
  done
  echo "$max"
}

loadgen() { timeout $(( ${2} + 60 )) "${LOADGEN[@]}" loadgen --url "http://127.0.0.1:${HTTP[$LEADER]}" --port "${BIN[$LEADER]}" --duration "$2" $1; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), server ${HFT[*]}, ack $ACK" >&2
for setup in $SETUPS; do
  for point in $POINTS; do
    case "$point" in
      binary-flat-4) args="--connections 4 --window 256" ;;
      rest-seq)      args="--protocol rest --connections 1 --window 1" ;;
      *) echo "run.sh: unknown point $point" >&2; exit 2 ;;
    esac
    start_nodes "$setup"
    [ "$WARMUP" = 0 ] || loadgen "$args" "$WARMUP" >/dev/null 2>&1 || true
    before="$(leader_changes)" termBefore="$(max_term)"
    report="$(loadgen "$args --json" "$DURATION" 2>"$WORK/loadgen.err" | tr -d '\n' || true)"
    after="$(leader_changes)" termAfter="$(max_term)"
    status="$(curl -sf "http://127.0.0.1:${HTTP[$LEADER]}/replication/status" 2>/dev/null || echo null)"
    dead=""
    for i in "${!PIDS[@]}"; do
      kill -0 "${PIDS[$i]}" 2>/dev/null && continue
      dead="$dead n$i"
      echo "run.sh: node $i ended during the run; its log's last lines:" >&2; tail -5 "$WORK/n$i.log" >&2
    done
    echo "{\"setup\":\"$setup\",\"point\":\"$point\",\"leaderChangesDuringRun\":$((after - before)),\"termsDuringRun\":$((termAfter - termBefore)),\"deadNodes\":\"${dead# }\",\"status\":$status,\"report\":${report:-null}}"
    stop_nodes
  done
done
