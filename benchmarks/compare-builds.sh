#!/usr/bin/env bash
# This tree's CLI against another build's, in turn (before, now, before, now, ...) so that a machine whose speed drifts
# affects both alike: a 1M-line `batch` (summary detail, files in /dev/shm) and a one-scenario `evaluate`, whole
# process, /usr/bin/time; medians of wall, CPU (user + system) and peak RSS, and now / before.
# Usage: BEFORE=DIR benchmarks/compare-builds.sh
#   BEFORE   a published CLI to compare with (a folder holding `exclusivity`), e.g. the commit before a change:
#            git worktree add /tmp/before 04c9014 && dotnet publish /tmp/before/src/ExclusivityEngine.Cli -c Release \
#              -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /tmp/before-cli
#   N=1000000   lines of the batch file;  RUNS=6   runs of each command on each side
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-1000000}
RUNS=${RUNS:-6}
: "${BEFORE:?BEFORE=DIR: a published CLI to compare with}"
WORK=$(mktemp -d -p /dev/shm)
trap 'rm -rf "$WORK"' EXIT
echo "compare-builds: publishing this tree's CLI as measure-batch.sh does (ReadyToRun)" >&2
dotnet publish "$ROOT/src/ExclusivityEngine.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$WORK/cli" --nologo -v quiet >&2
python3 "$ROOT/benchmarks/generate_scenarios.py" "$N" > "$WORK/scenarios.jsonl"

run() { # SIDE NAME CLI ARGS...: one run, appended to $WORK/results as "name side wall cpu rss"
  local side=$1 name=$2 cli=$3; shift 3
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$cli/exclusivity" "$@" > /dev/null 2>&1 || true
  awk -v n="$name" -v s="$side" '{ print n, s, $1, $2 + $3, $4 / 1024 }' "$WORK/t" >> "$WORK/results"
  rm -f "$WORK/out"
}
: > "$WORK/results"
for ((i = 0; i < RUNS; i++)); do
  for side in before now; do
    cli=$([[ $side == before ]] && echo "$BEFORE" || echo "$WORK/cli")
    run "$side" batch "$cli" batch --input "$WORK/scenarios.jsonl" --output "$WORK/out" --quiet
    run "$side" evaluate "$cli" evaluate --product frontier --cloud aws --date 2026-03-15
  done
done
python3 - "$WORK/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, side, wall, cpu, rss = line.split()
    rows.setdefault((name, side), []).append((float(wall), float(cpu), float(rss)))
print(f"{'command':<9} {'side':<7} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7}")
for name in ("batch", "evaluate"):
    med = {}
    for side in ("before", "now"):
        runs = rows[(name, side)]
        med[side] = [statistics.median(r[k] for r in runs) for k in range(3)]
        print(f"{name:<9} {side:<7} {med[side][0]:>7.2f} {med[side][1]:>7.2f} {med[side][2]:>7.0f}")
    print(f"{name:<9} {'now/bef':<7} {med['now'][0] / med['before'][0]:>7.2f} {med['now'][1] / med['before'][1]:>7.2f} {med['now'][2] / med['before'][2]:>7.2f}")
PY
