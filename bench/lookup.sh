#!/bin/sh
# In-process gazetteer speed: names looked up per second through the built-in index, against a baseline
# measured in the same run (the former design: every folded name in a HashMap built at start-up), plus
# the time to open the built-in gazetteer. Runs the criterion bench, then prints its medians.
#
#     bench/lookup.sh            # extra arguments go to criterion, e.g. --measurement-time 3
set -eu
cd "$(dirname "$0")/.."
cargo bench --bench gazetteer -- "$@"
python3 - <<'PY'
import json, os

def median(name):
    folder = os.path.join("target/criterion", name, "new")
    with open(os.path.join(folder, "estimates.json")) as f:
        ns = json.load(f)["median"]["point_estimate"]
    with open(os.path.join(folder, "benchmark.json")) as f:
        elements = (json.load(f).get("throughput") or {}).get("Elements")
    return ns, elements

rates = {}
for name in ["lookup/built-in index", "lookup/hash map baseline", "lookup/is_name_prefix"]:
    ns, elements = median(name)
    rates[name] = elements / (ns / 1e9)
    print(f"{name:28} median {ns / 1e6:8.2f} ms per {elements} names = {rates[name] / 1e6:.2f} M names/s")
ns, _ = median("open built-in gazetteer")
print(f"{'open built-in gazetteer':28} median {ns / 1e3:8.1f} µs")
ratio = rates["lookup/built-in index"] / rates["lookup/hash map baseline"]
print(f"index / hash map baseline (same run): {ratio:.2f}")
PY
