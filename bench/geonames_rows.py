#!/usr/bin/env python3
"""Write N rows in GeoNames' tab-separated dump format (19 columns) to standard output, for timing
`mentionmap gazetteer import geonames`. The places are made up; one row in every 100,000 is malformed
on purpose (a short row, or a latitude that is not a number), so the import's reporting is exercised.

    python3 bench/geonames_rows.py 1000000 > /tmp/geonames-1m.txt
"""
import random
import sys

SYLLABLES = ["ka", "lo", "ri", "san", "to", "mer", "vil", "na", "sho", "ber", "gu", "tan", "el", "qu", "din"]
CLASSES = [("P", "PPL")] * 8 + [("A", "ADM2"), ("H", "BAY"), ("T", "ISL"), ("H", "STM"), ("S", "HTL")]
COUNTRIES = ["CN", "US", "RU", "JP", "KR", "PH", "VN", "ID", "IN", "BR", "GB", "FR", "DE", "AU", "CA"]


def name(rng):
    words = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        for _ in range(rng.randint(1, 3))
    ]
    return " ".join(words)


def main():
    count = int(sys.argv[1])
    rng = random.Random(20240601)
    out = sys.stdout
    for i in range(1, count + 1):
        if i % 100_000 == 50_000:
            out.write(f"{i}\tBroken row\n")
            continue
        main_name = name(rng)
        alternates = ",".join(name(rng) for _ in range(rng.randint(0, 3)))
        lat = "north" if i % 100_000 == 99_999 else f"{rng.uniform(-60, 70):.5f}"
        fclass, code = rng.choice(CLASSES)
        country = rng.choice(COUNTRIES)
        population = rng.choice([0, 0, rng.randint(100, 5_000_000)])
        out.write(
            f"{i}\t{main_name}\t{main_name}\t{alternates}\t{lat}\t{rng.uniform(-180, 180):.5f}\t"
            f"{fclass}\t{code}\t{country}\t\t{rng.randint(1, 30):02d}\t{rng.randint(100, 999)}\t\t\t"
            f"{population}\t\t{rng.randint(0, 3000)}\tEtc/UTC\t2024-01-01\n"
        )


if __name__ == "__main__":
    main()
