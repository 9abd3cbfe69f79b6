#!/usr/bin/env bash
# The test runner's parts (sourced by scripts/test.sh; tests/Hft.Deployment.Tests/TestRunnerTests.cs exercises them):
# installing the Debian packages the tests need, running one test process, and the accounting that ends a run with
# the plain line "N passed, N failed[, N skipped]".
#
# Accounting, from the .run record each test process leaves in the results folder:
#   - passed, failed and skipped are the <UnitTestResult> outcomes in its trx (NotExecuted = skipped, with the reason);
#   - a process that ended badly (a crash, or a test that hung and was ended by --blame-hang-timeout) counts every
#     test it did not report as failed: the tests `dotnet test --list-tests` lists for it, minus those its trx reports;
#   - a process that failed with nothing to blame (no failing test, no missing one) counts one failure.

# Debian packages the tests use; installed only when missing. HFT_TEST_PACKAGES (space separated) replaces the list.
HFT_TEST_PACKAGES_DEFAULT="shellcheck yamllint docker-compose prometheus prometheus-alertmanager redis-server g++ libquickfix-dev chromium"

# Prints the packages to install, one a line: those of the list dpkg does not know as installed, and Debian's
# kubernetes-client when no kubectl is on PATH (any kubectl will do; Debian's is 1.20, whose kustomize cannot build the
# overlays, so the tests that need a newer one report themselves skipped with it).
hft_missing_packages() {
  local p
  # shellcheck disable=SC2086 # the list is space separated on purpose
  for p in ${HFT_TEST_PACKAGES:-$HFT_TEST_PACKAGES_DEFAULT}; do
    dpkg -s "$p" >/dev/null 2>&1 || echo "$p"
  done
  if ! command -v kubectl >/dev/null 2>&1 && ! dpkg -s kubernetes-client >/dev/null 2>&1; then
    echo kubernetes-client
  fi
}

# Installs the given packages with apt-get (HFT_APT_GET replaces the command, for the runner's own tests). On any
# failure: one line on stderr naming the packages and the command that failed, the summary line "0 passed, 1 failed"
# on stdout, and status 1 (the caller stops).
hft_install_packages() {
  [ $# -gt 0 ] || return 0
  local apt="${HFT_APT_GET:-apt-get}" log rc step p
  log="$(mktemp)"
  echo "test: installing $*" >&2
  for step in update install; do
    if [ "$step" = update ]; then
      DEBIAN_FRONTEND=noninteractive "$apt" update -qq >"$log" 2>&1
    else
      DEBIAN_FRONTEND=noninteractive "$apt" install -y -qq "$@" >"$log" 2>&1
    fi
    rc=$?
    if [ $rc -ne 0 ]; then
      local command="$apt $step"
      [ "$step" = install ] && command="$apt install -y -qq $*"
      echo "test: could not install $*: '$command' failed (exit $rc): $(grep -E '^(E|W):' "$log" | tail -n 1)" >&2
      rm -f "$log"
      echo "0 passed, 1 failed"
      return 1
    fi
  done
  rm -f "$log"
  for p in "$@"; do
    if ! dpkg -s "$p" >/dev/null 2>&1; then
      echo "test: could not install $*: '$apt install -y -qq $*' succeeded but $p is still not installed" >&2
      echo "0 passed, 1 failed"
      return 1
    fi
  done
}

# Runs one test process: hft_run_tests NAME PROJECT [dotnet test arguments...], with a hang limit for any single test of
# HFT_TEST_HANG_TIMEOUT (default 10m, a dotnet test duration such as 90s or 5m: the slowest test, the crash test,
# takes under 3 minutes on a busy 2-core machine). Leaves NAME.trx, NAME.log and the record NAME.run in $HFT_RESULTS.
# When the process fails, the tests it should have run are listed (same arguments) for the accounting.
hft_run_tests() {
  local name="$1" proj="$2" rc listed
  shift 2
  local log="$HFT_RESULTS/$name.log"
  dotnet test "$proj" -c Release --no-build -nologo \
    --blame-hang-timeout "${HFT_TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type none \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$HFT_RESULTS" "$@" </dev/null 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  {
    echo "name=$name"
    echo "rc=$rc"
    if [ "$rc" -ne 0 ]; then
      listed="$(dotnet test "$proj" -c Release --no-build -nologo --list-tests "$@" </dev/null 2>/dev/null \
        | sed -n '/^The following Tests are available:/,$p' | grep -c '^    ')"
      echo "listed=${listed:-0}"
    fi
  } >"$HFT_RESULTS/$name.run"
}

# Counts the outcomes of a trx file's test results: prints "passed failed skipped".
hft_trx_counts() {
  local trx="$1"
  if [ ! -f "$trx" ]; then
    echo "0 0 0"
    return
  fi
  grep -o '<UnitTestResult [^>]*>' "$trx" | grep -o ' outcome="[A-Za-z]*"' | awk '
    /"Passed"/ { p++; next }
    /"NotExecuted"/ { s++; next }
    { f++ }
    END { printf "%d %d %d\n", p, f, s }'
}

# Prints, for a trx file, each reason a test was skipped with how many tests gave it ("N<TAB>reason").
hft_trx_skip_reasons() {
  [ -f "$1" ] || return 0
  awk '
    /<UnitTestResult / { skipped = ($0 ~ /outcome="NotExecuted"/); next }
    skipped && /<Message>/ {
      line = $0
      sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
      gsub(/&quot;/, "\"", line); gsub(/&apos;/, "\047", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&amp;/, "\\&", line)
      n[line]++; skipped = 0
    }
    END { for (r in n) printf "%d\t%s\n", n[r], r }' "$1"
}

# The tests a failed process named as running when it crashed or hung (from its console log), comma separated.
hft_log_running_tests() {
  [ -f "$1" ] || return 0
  awk '
    /^The tests? running when the crash occurred:/ { on = 1; next }
    on && /^[[:space:]]*$/ { if (seen) on = 0; next }
    on { sub(/^[[:space:]]+/, ""); out = out (seen ? ", " : "") $0; seen = 1 }
    END { print out }' "$1"
}

# Adds up every .run record in a results folder, explains on stderr what was not a plain pass (skip reasons, crashes,
# hangs, unreported tests) and prints the summary line on stdout. Status 0 only when nothing failed.
hft_summarize() {
  local dir="$1" passed=0 failed=0 skipped=0 run name rc listed p f s reported missing running why
  for run in "$dir"/*.run; do
    [ -f "$run" ] || continue
    name="$(sed -n 's/^name=//p' "$run")"
    rc="$(sed -n 's/^rc=//p' "$run")"
    listed="$(sed -n 's/^listed=//p' "$run")"
    read -r p f s < <(hft_trx_counts "$dir/$name.trx")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    while IFS=$'\t' read -r count reason; do
      [ -n "$count" ] && echo "test: $name: $count skipped: $reason" >&2
    done < <(hft_trx_skip_reasons "$dir/$name.trx")
    [ "${rc:-1}" -eq 0 ] && continue
    reported=$((p + f + s))
    running="$(hft_log_running_tests "$dir/$name.log")"
    if grep -q 'The specified inactivity time of' "$dir/$name.log" 2>/dev/null; then
      why="hung${running:+ in $running} (no progress within the hang limit; the test process was ended)"
    elif grep -q 'Test host process crashed' "$dir/$name.log" 2>/dev/null; then
      why="the test process crashed${running:+ while running $running}"
    else
      why="dotnet test exited with $rc"
    fi
    missing=$(( ${listed:-0} - reported ))
    if [ "$missing" -gt 0 ]; then
      failed=$((failed + missing))
      echo "test: $name: $why: $missing of its ${listed} tests reported no result and count as failed" >&2
    elif [ "$f" -eq 0 ]; then
      failed=$((failed + 1))
      echo "test: $name: $why, with no failing test reported: counted as 1 failure (log: $dir/$name.log)" >&2
    fi
  done
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [ "$failed" -eq 0 ]
}
