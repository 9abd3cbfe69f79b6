#!/usr/bin/env bash
# Runs every test project and ends with one plain line: "N passed, N failed[, N skipped]".
# Installs what the tests need when it is missing (this is how CI and a fresh machine get set up), and stops at once,
# with that line, when it cannot. A test that hangs is ended after HFT_TEST_HANG_TIMEOUT (default 10m) and named; a test
# process that crashes or hangs counts every test it did not report as failed. The accounting is in scripts/test-lib.sh.
#   scripts/test.sh                      every project (tests/Hft.Server.Tests as the processes in its test-partitions)
#   scripts/test.sh --filter EXPR        every project with this dotnet test filter, one process each
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT" || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# shellcheck source=scripts/test-lib.sh
. "$ROOT/scripts/test-lib.sh"

mapfile -t missing < <(hft_missing_packages)
hft_install_packages "${missing[@]}" || exit 1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test: the .NET 10 SDK (dotnet) is required and was not found on PATH" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

HFT_RESULTS="$ROOT/.build/test-results"
rm -rf "$HFT_RESULTS"
mkdir -p "$HFT_RESULTS"

if ! dotnet build "$ROOT/Hft.sln" -c Release -nologo -v quiet; then
  echo "test: build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

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
      hft_run_tests "$name-$i" "$proj" --filter "$filter"
    done < "$partitions"
    continue
  fi
  echo "== $name" >&2
  hft_run_tests "$name" "$proj" "$@"
done

hft_summarize "$HFT_RESULTS"
