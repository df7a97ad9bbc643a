#!/bin/sh
# `gazetteer import geonames` speed and memory on a generated file (1,000,000 rows by default) in
# GeoNames' format; the file and the index go to a temporary folder and are removed afterwards.
#
#     bench/import.sh                      # ROWS=... BIN=... are optional
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/mentionmap}
ROWS=${ROWS:-1000000}
[ -x "$BIN" ] || cargo build --release
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 bench/geonames_rows.py "$ROWS" >"$TMP/rows.txt"
echo "generated $ROWS rows ($(du -m "$TMP/rows.txt" | cut -f1) MB)"
MENTIONMAP_DATA_DIR="$TMP/data" /usr/bin/time -f "import: %e s wall, %U s user, peak resident memory %M KB" \
    "$BIN" gazetteer import geonames "$TMP/rows.txt" 2>&1 | grep -v "skipped malformed row"
echo "index: $(du -m "$TMP/data/geonames.idx" | cut -f1) MB"
MENTIONMAP_DATA_DIR="$TMP/data" /usr/bin/time -f "first lookup with the imported layer: %e s, %M KB" \
    "$BIN" lookup Qingdao -n 1
