#!/usr/bin/env python3
"""Time the Python geotext over a corpus made by bench/corpus.py, for comparison with mentionmap.

geotext matches city and country names from its list and resolves nothing; it is installed for the
benchmark only (`pip install geotext`) and none of it is part of mentionmap.

    bench/geotext_rate.py CORPUS_DIR    -> prints: documents seconds megabytes cities_found
"""

import json
import pathlib
import sys
import time

from geotext import GeoText

texts = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.jsonl")):
    with open(path, encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for line in f if line.strip()]
GeoText("warm-up in Paris")  # geotext loads its name lists on first use
start = time.perf_counter()
found = sum(len(GeoText(t).cities) for t in texts)
elapsed = time.perf_counter() - start
megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
print(len(texts), f"{elapsed:.3f}", f"{megabytes:.3f}", found)
