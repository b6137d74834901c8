#!/usr/bin/env bash
# Load on the decision service: wrk drives POST /v1/evaluate on a published `exclusivity serve` at 1, 8 and 64
# connections (client and service on the same machine) and prints throughput and p50/p99 latency as a Markdown table.
#   target on a 2-core machine: >= 10,000 requests/s at 8 connections with p99 < 10 ms
# Usage: benchmarks/measure-serve.sh
#   DURATION=20        seconds per measurement (after a 5 s warm-up)
#   CONNECTIONS="1 8 64"
#   PORT=18181
#   WORK=/dev/shm/exclusivity-serve-bench   (removed at the end unless KEEP=1)
#   README=1           also replace the table between the serve-load markers in README.md
set -euo pipefail

DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-"1 8 64"}
PORT=${PORT:-18181}
WORK=${WORK:-/dev/shm/exclusivity-serve-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
URL="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "measure-serve: wrk is needed (apt-get install wrk)" >&2; exit 2; }
mkdir -p "$WORK"
SERVICE_PID=
cleanup() {
  [[ -n "$SERVICE_PID" ]] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

echo "measure-serve: publishing the CLI (Release)" >&2
dotnet publish "$ROOT/src/ExclusivityEngine.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$WORK/cli" --nologo -v quiet >&2 \
  || dotnet publish "$ROOT/src/ExclusivityEngine.Cli" -c Release -o "$WORK/cli" --nologo -v quiet >&2

"$WORK/cli/exclusivity" serve --urls "$URL" 2> "$WORK/serve.err" &
SERVICE_PID=$!
for _ in $(seq 1 100); do
  curl -sf "$URL/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "$URL/readyz" >/dev/null || { echo "measure-serve: the service did not get ready:" >&2; cat "$WORK/serve.err" >&2; exit 1; }

# The scenario the catalogue's golden file shows: a disputed verdict with a full trace (5.7 kB of JSON per answer).
cat > "$WORK/evaluate.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"product": "frontier", "cloud": "aws", "date": "2026-03-15"}'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.3f %.3f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
LUA

echo "measure-serve: warming up" >&2
wrk -t 2 -c 8 -d 5s -s "$WORK/evaluate.lua" "$URL/v1/evaluate" > /dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
table="| connections | requests/s | p50 (ms) | p99 (ms) | errors |\n|---:|---:|---:|---:|---:|\n"
for c in $CONNECTIONS; do
  threads=$(( c < 2 ? 1 : 2 ))
  line=$(wrk -t "$threads" -c "$c" -d "${DURATION}s" -s "$WORK/evaluate.lua" "$URL/v1/evaluate" | grep '^RESULT')
  read -r _ rps p50 p99 errors total <<<"$line"
  echo "measure-serve: $c connection(s): $rps requests/s, p50 $p50 ms, p99 $p99 ms, $errors errors of $total" >&2
  table+="| $c | $rps | $p50 | $p99 | $errors |\n"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
summary="$(printf "$table")

Measured $(date -u +%Y-%m-%d) with \`benchmarks/measure-serve.sh\` (wrk, ${DURATION} s per row, POST /v1/evaluate of frontier on aws
2026-03-15, 5.7 kB answers; service and client on the same $(nproc)-core machine). Load average before/after: $load_before / $load_after."
echo "$summary"
if [[ "${README:-0}" == 1 ]]; then
  python3 - "$ROOT/README.md" "$summary" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- serve-load:begin -->", "<!-- serve-load:end -->"
if begin not in text or end not in text:
    sys.exit("README.md has no serve-load markers")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(head + begin + "\n" + table + "\n" + end + tail)
PY
fi
