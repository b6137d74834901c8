#!/usr/bin/env bash
# Times the whole `exclusivity impact` process on a one-clause edit against `exclusivity analyze` of the same rule set,
# both over 2019-01-01..2035-12-31 (their default range), both reading their rule sets from directories, runs
# interleaved so that both see the same load; prints the median wall and CPU (user + system) seconds of each and their
# ratio. Target: impact within the time analyze takes.
#   The edit: aws-openai-2026-02 `frontier-exclusive-third-party-distribution` also names `azure`.
# Usage: benchmarks/measure-impact.sh
#   RUNS=7      runs of each command (the median is reported)
#   WORK=/dev/shm/exclusivity-impact   where the rule sets and the published CLI go (removed at the end unless KEEP=1)
set -euo pipefail

RUNS=${RUNS:-7}
WORK=${WORK:-/dev/shm/exclusivity-impact}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

if [[ ! -x /usr/bin/time ]]; then
  echo "measure-impact: /usr/bin/time is needed (apt-get install time)" >&2
  exit 2
fi

mkdir -p "$WORK"
cleanup() { [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT

rm -rf "$WORK/before" "$WORK/after"
cp -r "$ROOT/rules" "$WORK/before"
cp -r "$ROOT/rules" "$WORK/after"
python3 - "$WORK/after/clauses/aws-openai-2026-02.json" <<'EOF'
import json, sys
path = sys.argv[1]
with open(path) as f:
    rules = json.load(f)
clause = next(c for c in rules["clauses"] if c["id"] == "frontier-exclusive-third-party-distribution")
clause["when"] = clause["when"].replace('cloud in ("google-cloud"', 'cloud in ("azure", "google-cloud"')
assert '"azure"' in clause["when"], "the edit did not apply"
with open(path, "w") as f:
    json.dump(rules, f, indent=2)
EOF

echo "measure-impact: publishing the CLI (Release)" >&2
dotnet publish "$ROOT/src/ExclusivityEngine.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$WORK/cli" --nologo -v quiet >&2 \
  || dotnet publish "$ROOT/src/ExclusivityEngine.Cli" -c Release -o "$WORK/cli" --nologo -v quiet >&2
CLI="$WORK/cli/exclusivity"

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
# run NAME COMMAND...: records wall and CPU seconds of one run.
run() {
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$WORK/time.txt" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || {
    echo "measure-impact: $name failed (exit $?):" >&2
    cat "$WORK/err.txt" >&2
    exit 1
  }
  read -r wall user sys < "$WORK/time.txt"
  printf '%s\t%s\t%s\n' "$name" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >> "$RESULTS"
  echo "measure-impact: $name: ${wall}s wall, ${user}s user, ${sys}s system" >&2
}

for ((i = 1; i <= RUNS; i++)); do
  run analyze "$CLI" analyze --rules "$WORK/before"
  run impact "$CLI" impact --before "$WORK/before" --after "$WORK/after"
done
grep -q 'frontier on azure' "$WORK/out.txt" || { echo "measure-impact: impact did not find the edit's region" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for name in analyze impact; do
  wall=$(awk -v n="$name" '$1 == n { print $2 }' "$RESULTS" | median)
  cpu=$(awk -v n="$name" '$1 == n { print $3 }' "$RESULTS" | median)
  printf '%-8s median of %d: %5.2f s wall, %5.2f s CPU\n' "$name" "$RUNS" "$wall" "$cpu"
  eval "${name}_wall=$wall; ${name}_cpu=$cpu"
done
awk -v iw="$impact_wall" -v aw="$analyze_wall" -v ic="$impact_cpu" -v ac="$analyze_cpu" \
  'BEGIN { printf "impact / analyze: %.2f wall, %.2f CPU (target: wall <= 1)\n", iw / aw, ic / ac }'
