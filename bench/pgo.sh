#!/usr/bin/env bash
# Makes bench/pgo-llvmN.profdata (N: the LLVM version of the toolchain), the profile that
# bench/pgo-rustc hands to every build of mentionmap (`-Cprofile-use`, through `.cargo/config.toml`):
# profile-guided optimisation, where the compiler lays out and inlines the code by how often each
# branch and call was taken in real runs rather than by guesses. It took 9% off the instructions of
# `extract` over articles it was not trained on (README, "Speed and memory").
#
#   bench/pgo.sh            needs the rustup component llvm-tools (it adds it when missing)
#
# The profile comes from an instrumented build running the commands people run, over a training
# corpus made by bench/corpus.py from the example corpus and the GeoVirus dev set (the TR-News set is
# left out, so that a corpus made from it shows whether the gain holds for text the profile has not
# seen): `extract`, `map`, every `export` format, `merge` of two shards and `lookup`, so that what
# they do is tuned for how they run. (A function no run reaches is built as without a profile.)
#
# Run it again after large changes to the code: functions changed since the profile was made are
# built as if there were no profile (the build still works, only that function is not tuned), so an
# old profile slowly stops paying. A toolchain on another LLVM version builds without it, as its
# LLVM may not read this one's format: run this script with that toolchain to make one for it (it
# replaces the profile there was, since one toolchain builds the project at a time).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
toolchain="$(rustc -vV)"
host="$(sed -n 's/^host: //p' <<<"$toolchain")"
llvm="$(sed -n 's/^LLVM version: \([0-9]*\).*/\1/p' <<<"$toolchain")"
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
[ -x "$profdata" ] || rustup component add llvm-tools
work="$root/target/pgo"
rm -rf "$work"
mkdir -p "$work/raw" "$work/run"

# an empty RUSTC_WRAPPER turns bench/pgo-rustc off: the instrumented build does not read the old profile.
# The counters are updated atomically: the runs below use every core, and plain counters lose counts
# where two threads bump the same one at once, which made the profile, and the code built from it,
# differ from one making to the next (by 1.3% in the instructions of the same `extract`; two makings
# with atomic counters gave 3.9734 G both).
RUSTC_WRAPPER= RUSTFLAGS="-Cprofile-generate=$work/raw -Cllvm-args=-instrprof-atomic-counter-update-all" \
    cargo build --release --target-dir "$work/build"
bin="$work/build/release/mentionmap"

dev_set=../shared/data/eval/geovirus/GeoVirus.xml
[ -f "$dev_set" ] || { echo "note: $dev_set not found; training on the example corpus alone"; dev_set=; }
python3 bench/corpus.py 3000 "$work/corpus" $dev_set

run="$work/run"
at=(--generated-at 2026-01-01T00:00:00Z)
"$bin" extract "${at[@]}" "$work/corpus" -o "$run/story.json"
"$bin" extract "${at[@]}" -j 1 "$work/corpus/articles-00000.jsonl" -o "$run/shard-0.json"
"$bin" extract "${at[@]}" "$work/corpus/articles-00001.jsonl" "$work/corpus/articles-00002.jsonl" \
    -o "$run/shard-1.json"
"$bin" merge "$run/shard-0.json" "$run/shard-1.json" -o "$run/merged.json"
"$bin" map "${at[@]}" "$work/corpus" -o "$run/map"
"$bin" map "${at[@]}" examples/carrier-group -o "$run/example"
for format in geojson places-geojson events-geojson tracks-geojson geojsonseq kml kmz html svg png; do
    "$bin" export "$run/story.json" --format "$format" -o "$run/export.$format"
done
for name in Qingdao "Sea of Japan" Vladivostok "Port Said" Springfield; do
    "$bin" lookup "$name" >/dev/null
done

# sparse: only functions the runs reached, a quarter of the size; the others are built as if there
# were no profile, rather than as cold code
rm -f bench/pgo-llvm*.profdata
"$profdata" merge --sparse -o "bench/pgo-llvm$llvm.profdata" "$work/raw"
# cargo does not see the profile change, so the builds made with the old one are dropped
cargo clean --release
echo "wrote bench/pgo-llvm$llvm.profdata ($(du -h "bench/pgo-llvm$llvm.profdata" | cut -f1)); cargo build --release uses it"
