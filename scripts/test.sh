#!/usr/bin/env bash
# Runs every test project and ends with one plain line: "N passed, N failed[, N skipped]".
# Installs what the tests need when it is missing (this is how CI and a fresh machine get set up).
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the tests use; installed only when missing.
TEST_PACKAGES=(shellcheck yamllint docker-compose prometheus prometheus-alertmanager redis-server g++ libquickfix-dev)
missing=()
for p in "${TEST_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test: installing ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

RESULTS="$ROOT/.build/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

if ! dotnet build "$ROOT/Hft.sln" -c Release -nologo -v quiet; then
  echo "test: build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for proj in "$ROOT"/tests/*/*.csproj; do
  name="$(basename "$proj" .csproj)"
  partitions="$(dirname "$proj")/test-partitions"
  if [ -f "$partitions" ] && [ $# -eq 0 ]; then
    # several test processes, one per filter line (see the file for why)
    i=0
    while IFS= read -r filter; do
      case "$filter" in ''|'#'*) continue ;; esac
      i=$((i + 1))
      echo "== $name ($i)" >&2
      dotnet test "$proj" -c Release --no-build -nologo --filter "$filter" \
        --logger "trx;LogFileName=$name-$i.trx" --logger "console;verbosity=minimal" \
        --results-directory "$RESULTS" || status=1
    done < "$partitions"
    continue
  fi
  echo "== $name" >&2
  dotnet test "$proj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$RESULTS" "$@" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
# A project that crashed before writing results still fails the run.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
if [ $skipped -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ] && [ $status -eq 0 ]
