#!/usr/bin/env bash
# Coverage-guided fuzzing with afl-fuzz and SharpFuzz.
#   tests/fuzz/run.sh TARGET [SECONDS]     one target (jsonl, csv, testfile, rules, condition), default 600 s
#   tests/fuzz/run.sh all [SECONDS]        every target in turn, SECONDS each
# Builds the harness in Release, instruments the library with `dotnet sharpfuzz`, runs afl-fuzz from the committed
# seeds in tests/fuzz/corpus/TARGET for a bounded time, and exits 1 if afl recorded a crash (an invariant broken, or an
# exception escaping); each crash input is replayed so its stack trace is printed. Findings go to FUZZ_OUT
# (default tests/fuzz/out, ignored by git).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
target=${1:?usage: tests/fuzz/run.sh TARGET|all [SECONDS]}
seconds=${2:-600}
out=${FUZZ_OUT:-$root/tests/fuzz/out}
build=$out/build
targets="jsonl csv testfile rules condition"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v afl-fuzz >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null) \
    || { echo "fuzz: afl++ is not installed and could not be installed" >&2; exit 2; }
fi

# Build and instrument once per source state; the stamp is the hash of the sources that go into the harness.
stamp=$(cat $(git ls-files src/ExclusivityEngine tests/fuzz/ExclusivityEngine.Fuzz tests/ExclusivityEngine.Tests/Scenarios/OutputLines.cs \
  Directory.Packages.props Directory.Build.props 2>/dev/null) 2>/dev/null | sha256sum | cut -c1-16)
if [ "$(cat "$build/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$build"
  dotnet tool restore >/dev/null || exit 2
  dotnet build tests/fuzz/ExclusivityEngine.Fuzz -c Release -o "$build" -p:UseAppHost=false >"$out.build.log" 2>&1 \
    || { cat "$out.build.log" >&2; echo "fuzz: the harness did not build" >&2; exit 2; }
  # The library is what is fuzzed (readers, loader, conditions); CsvHelper is instrumented too, as the CSV reader's
  # paths are in it.
  for dll in ExclusivityEngine.dll CsvHelper.dll; do
    dotnet sharpfuzz "$build/$dll" >/dev/null || { echo "fuzz: sharpfuzz could not instrument $dll" >&2; exit 2; }
  done
  echo "$stamp" >"$build/.stamp"
fi

# Running as root in a container: no CPU governor, no core pattern to set, no affinity to take.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_FAST_CAL=1 \
  AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1

status=0
for t in $( [ "$target" = all ] && echo $targets || echo "$target" ); do
  if [ ! -d "tests/fuzz/corpus/$t" ]; then
    echo "fuzz: no such target \`$t\` (targets: $targets)" >&2
    exit 2
  fi
  findings=$out/$t
  rm -rf "$findings"
  # -t: a rule set is loaded and compiled per input in the rules and condition targets, so allow seconds.
  timeout --kill-after=30 $((seconds + 120)) afl-fuzz -i "tests/fuzz/corpus/$t" -o "$findings" -V "$seconds" -t 10000 -m none \
    -- dotnet "$build/ExclusivityEngine.Fuzz.dll" "$t" >"$findings.log" 2>&1
  code=$?
  stats=$findings/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    tail -20 "$findings.log" >&2
    echo "fuzz: afl-fuzz did not run for $t (exit $code)" >&2
    status=2
    continue
  fi
  execs=$(sed -n 's/^execs_done *: *//p' "$stats")
  paths=$(sed -n 's/^corpus_count *: *//p' "$stats")
  crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  echo "fuzz $t: ${seconds}s, $execs executions, $paths inputs in the corpus, $crashes crash(es), $hangs hang(s)"
  if [ "$crashes" -gt 0 ]; then
    status=1
    find "$findings/default/crashes" -type f -name 'id:*' | head -3 \
      | xargs dotnet "$build/ExclusivityEngine.Fuzz.dll" "$t" --replay | head -60
  fi
done
exit $status
