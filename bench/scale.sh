#!/usr/bin/env bash
# How the CLI scales with the size of the corpus: for each N, a corpus of N news-sized articles made by
# bench/corpus.py (the example corpus, and the TR-News and GeoVirus texts when ../shared holds them),
# then `mentionmap extract` and `mentionmap map` over it under /usr/bin/time, and the Python geotext over
# the same corpus for comparison (when `pip install geotext` has been run). Start-up is timed apart with
# hyperfine on one article.
#
#   bench/scale.sh [N ...]        default: 1000 10000 (a few minutes on two cores)
#   THREADS=1 bench/scale.sh 1000 set mentionmap's -j (default: one thread per core)
#   RUNS=3 bench/scale.sh 10000   time extract and geotext three times each and report the median
#                                 run (by wall time), against the noise of a shared machine; then
#                                 three pairs of the two, one right after the other, and their
#                                 median ratio
#   bench/scale.sh 100000         about 340 MB of text: 10 to 20 minutes on two shared cores
#
# Corpora and outputs go to target/scale-bench/ (never committed). Each line reports wall seconds,
# documents/s, MB/s of text, MB/s per CPU-second (user + system, i.e. per core; the two are shown
# too) and peak RSS; from the second N on, how CPU time and memory grew from the previous N (linear:
# CPU time grows as the corpus, and each added article adds the same memory).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work="$root/target/scale-bench"
mkdir -p "$work"
bin="$root/target/release/mentionmap"
cargo build --release --quiet
threads=()
[ -n "${THREADS:-}" ] && threads=(-j "$THREADS")

dev_sets=()
for xml in ../shared/data/eval/tr-news/TR-News.xml ../shared/data/eval/geovirus/GeoVirus.xml; do
    [ -f "$xml" ] && dev_sets+=("$xml")
done
[ ${#dev_sets[@]} -gt 0 ] || echo "note: ../shared not found; the corpus is the example corpus alone"
have_geotext=0
python3 -c "import geotext" 2>/dev/null && have_geotext=1 ||
    echo "note: geotext not installed (pip install geotext); no comparison"

commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml || echo '+changes')"
echo "mentionmap $commit, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), threads ${THREADS:-all}"

runs="${RUNS:-1}"

# Each timed run writes to a path emptied first, and to a disk with nothing left to flush. On a
# filesystem mounted with online discard (as this project's machine is), a run that replaces an 80 MB
# file waits 30-60 ms in its final rename while the disk discards the old file's blocks: the cost of
# deleting the last run's output, not of reading this corpus, and it would land on every run but the
# first.
fresh() { rm -rf "$1" && sync; }

# Run a command writing $1 $runs times under /usr/bin/time; print the median run's "wall user sys kb".
timed_median() {
    local output=$1
    shift
    for _ in $(seq "$runs"); do
        fresh "$output"
        { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null; } | tail -1
    done | sort -n | sed -n "$(((runs + 1) / 2))p"
}

# one line of the table from `/usr/bin/time -f "%e %U %S %M"` output: wall user sys KB
report() { # label docs megabytes "wall user sys kb"
    read -r wall user sys kb <<<"$4"
    awk -v l="$1" -v n="$2" -v mb="$3" -v w="$wall" -v u="$user" -v s="$sys" -v kb="$kb" 'BEGIN {
        printf "%-22s %8d docs %7.1f MB %8.2f s %9.0f docs/s %7.2f MB/s %7.2f MB/s/core %7.0f MB peak",
            l, n, mb, w, n / w, mb / w, mb / (u + s), kb / 1024
        # the system time is mostly fresh pages faulted in, whose price is the host'"'"'s and drifts
        # apart from the processor'"'"'s: shown apart, a slow run tells which of the two was slow
        # (geotext'"'"'s line has no such split: its own timing is passed as user time, system 0)
        if (s > 0) printf " (user %.2f s, system %.2f s)", u, s
        printf "\n" }'
}

printf '\nstart-up, one article (hyperfine, median of 20 runs):\n'
one="$root/examples/carrier-group/01-departure.md"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 3 --runs 20 --style none --export-json "$work/startup.json" \
        "$bin extract $one -o $work/one.json" >/dev/null 2>&1
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f'  extract one article: {r[\"median\"]*1000:.0f} ms median, {r[\"min\"]*1000:.0f} ms min')" "$work/startup.json"
else
    echo "  note: hyperfine not installed (apt-get install hyperfine); start-up not timed"
fi

printf '\n'
for n in "${sizes[@]}"; do
    corpus="$work/corpus-$n"
    [ -d "$corpus" ] || python3 bench/corpus.py "$n" "$corpus" "${dev_sets[@]}" >/dev/null
    mb=$(python3 -c "import json,pathlib,sys; print(sum(len(json.loads(l)['text'].encode()) for p in pathlib.Path(sys.argv[1]).glob('*.jsonl') for l in open(p, encoding='utf-8'))/1e6)" "$corpus")
    t=$(timed_median "$work/story-$n.json" "$bin" extract "${threads[@]}" "$corpus" -o "$work/story-$n.json")
    report "mentionmap extract" "$n" "$mb" "$t"
    read -r extract_wall user sys kb <<<"$t"
    if [ -n "${prev:-}" ]; then
        awk -v p="$prev" -v n="$n" -v c="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" -v kb="$kb" 'BEGIN {
            split(p, q, " ")
            printf "  from %d to %d articles (x%.0f): CPU time x%.1f, memory %+.1f KB per added article\n",
                q[1], n, n / q[1], c / q[2], (kb - q[3]) / (n - q[1]) }'
    fi
    prev="$n $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $kb"
    fresh "$work/map-$n"
    t=$( { /usr/bin/time -f "%e %U %S %M" "$bin" map "${threads[@]}" "$corpus" -o "$work/map-$n" 2>&1 >/dev/null; } | tail -1)
    report "mentionmap map" "$n" "$mb" "$t"
    if [ "$have_geotext" = 1 ]; then
        # geotext's own timing excludes Python's start-up and its list loading, in its favour
        # each run is one line "documents seconds megabytes found peak_kb"; the median by seconds
        out=$(for _ in $(seq "$runs"); do
            { /usr/bin/time -f "%M" python3 bench/geotext_rate.py "$corpus"; } 2>&1 | tr '\n' ' '
            echo
        done | sort -k2 -g | sed -n "$(((runs + 1) / 2))p")
        read -r docs secs gmb _ kb <<<"$out"
        report "geotext (cities only)" "$docs" "$gmb" "$secs $secs 0 $kb"
        awk -v mb="$mb" -v w="$extract_wall" -v gmb="$gmb" -v gs="$secs" 'BEGIN {
            printf "  extract / geotext throughput (MB/s of wall time, this run): %.2fx\n", (mb / w) / (gmb / gs) }'
        if [ "$runs" -gt 1 ]; then
            # The runs above time every extract before any geotext, and this machine's speed drifts
            # between the two: here each extract is followed at once by a geotext, each pair a ratio.
            ratios=$(for _ in $(seq "$runs"); do
                fresh "$work/story-$n.json"
                w=$( { /usr/bin/time -f "%e" "$bin" extract "${threads[@]}" "$corpus" -o "$work/story-$n.json" 2>&1 >/dev/null; } | tail -1)
                read -r _ gs gmb _ <<<"$(python3 bench/geotext_rate.py "$corpus")"
                awk -v mb="$mb" -v w="$w" -v gmb="$gmb" -v gs="$gs" 'BEGIN { printf "%.2f\n", (mb / w) / (gmb / gs) }'
            done | sort -g | tr '\n' ' ')
            echo "$ratios" | awk -v r="$runs" '{
                printf "  the same in %d pairs, each extract followed by a geotext: median %.2fx (%s)\n", r, $((r + 1) / 2), $0 }'
        fi
    fi
done
