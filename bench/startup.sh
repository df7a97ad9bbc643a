#!/bin/sh
# Process start to first `lookup` answer, and peak resident memory, for the release build. With
# BASELINE=/path/to/another/mentionmap, that binary is timed in the same hyperfine run, for a ratio
# that does not depend on how busy the machine is.
#
#     bench/startup.sh                     # NAME=Qingdao RUNS=50 BASELINE=... are optional
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/mentionmap}
NAME=${NAME:-Qingdao}
RUNS=${RUNS:-50}
[ -x "$BIN" ] || cargo build --release
DATA=$(mktemp -d) # an empty data folder: the built-in gazetteer only
trap 'rm -rf "$DATA"' EXIT
export MENTIONMAP_DATA_DIR="$DATA"

if command -v hyperfine >/dev/null 2>&1; then
    set -- "$BIN lookup $NAME"
    if [ -n "${BASELINE:-}" ]; then set -- "$@" "$BASELINE lookup $NAME"; fi
    hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$DATA/times.json" "$@" >/dev/null
    python3 - "$DATA/times.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for r in results:
    print(f"{r['command']:60} median {r['median'] * 1000:7.2f} ms  (min {r['min'] * 1000:.2f}, max {r['max'] * 1000:.2f})")
if len(results) == 2:
    ratio = results[0]["median"] / results[1]["median"]
    print(f"ratio of medians (first / second): {ratio:.4f}, i.e. {1 / ratio:.0f} times faster")
PY
else
    # No hyperfine: time the runs with date and take the median.
    for run in $(seq "$RUNS"); do
        start=$(date +%s%N)
        "$BIN" lookup "$NAME" >/dev/null
        echo $(( $(date +%s%N) - start ))
    done | sort -n | awk '{ t[NR] = $1 } END { printf "%s lookup: median %.2f ms over %d runs\n", "'"$BIN"'", t[int((NR + 1) / 2)] / 1e6, NR }'
fi

for bin in "$BIN" ${BASELINE:-}; do
    rss=$(/usr/bin/time -f "%M" "$bin" lookup "$NAME" 2>&1 >/dev/null | tail -1)
    echo "$bin lookup $NAME: peak resident memory $((rss / 1024)) MB ($rss KB)"
done
