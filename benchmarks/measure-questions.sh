#!/usr/bin/env bash
# Whole-process CPU (user + system, /usr/bin/time) of the question commands on this tree's CLI against another build's
# (issue 11: on NRules, `analyze`, `why-not` and a 2019-2035 `timeline` no more than 2x the RulesEngine code's times,
# and a one-scenario `evaluate` no more than 0.1 s slower). The two run in turn, RUNS times each; medians and ratios.
# Usage: BEFORE=DIR benchmarks/measure-questions.sh
#   BEFORE   a published CLI to compare with (a folder holding `exclusivity`), e.g. from the commit before NRules:
#            git worktree add /tmp/before 5c832c8 && dotnet publish /tmp/before/src/ExclusivityEngine.Cli -c Release -o /tmp/before-cli
#   RUNS=5   runs of each command on each side
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
: "${BEFORE:?BEFORE=DIR: a published CLI to compare with}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "measure-questions: publishing this tree's CLI (Release)" >&2
dotnet publish "$ROOT/src/ExclusivityEngine.Cli" -c Release -o "$WORK/cli" --nologo -v quiet >&2

QUESTIONS=(
  "evaluate|evaluate --product frontier --cloud aws --date 2026-03-15"
  "timeline|timeline --product frontier --from 2019-01-01 --to 2035-12-31"
  "why-not|why-not --product frontier --cloud aws --date 2026-03-15 --want Permitted"
  "analyze|analyze --from 2019-01-01 --to 2035-12-31"
)
cpu() { # CLI ARGS...: CPU seconds of one run (its exit code is not judged: analyze exits 1 when it finds something)
  local cli=$1; shift
  /usr/bin/time -f "%U %S" -o "$WORK/t" "$cli/exclusivity" "$@" > /dev/null 2>&1 || true
  awk '{ print $1 + $2 }' "$WORK/t"
}
printf '%-10s %12s %12s %8s\n' question "before CPU s" "now CPU s" "now/before"
for q in "${QUESTIONS[@]}"; do
  name=${q%%|*}; read -r -a args <<< "${q#*|}"
  cpu "$BEFORE" "${args[@]}" > /dev/null; cpu "$WORK/cli" "${args[@]}" > /dev/null   # warm the file cache
  : > "$WORK/b"; : > "$WORK/a"
  for ((i = 0; i < RUNS; i++)); do
    cpu "$BEFORE" "${args[@]}" >> "$WORK/b"
    cpu "$WORK/cli" "${args[@]}" >> "$WORK/a"
  done
  python3 - "$name" "$WORK/b" "$WORK/a" <<'PY'
import statistics, sys
name, b, a = sys.argv[1], [float(x) for x in open(sys.argv[2])], [float(x) for x in open(sys.argv[3])]
mb, ma = statistics.median(b), statistics.median(a)
print(f"{name:<10} {mb:>12.2f} {ma:>12.2f} {ma / mb:>8.2f}")
PY
done
