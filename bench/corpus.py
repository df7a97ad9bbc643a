#!/usr/bin/env python3
"""Generate a benchmark corpus of N news articles as JSON Lines files of 1,000 articles each.

The texts are the example corpus (examples/carrier-group) and, when given, the articles of the
geoparsing dev sets (TR-News, GeoVirus XML, which live in ../shared and are never committed), taken in
turn, two to an article so that articles are news-sized (about 3 KB). Each article gets its own id and a publication date spread over a year, so that reports of the
same text do not all fall on one day; one article in twenty has no date, as some real articles do,
so that the cross-document dating runs too.

    bench/corpus.py N OUT_DIR [DEV_SET.xml ...]
"""

import datetime
import json
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

PER_FILE = 1000
UNDATED_EVERY = 20


def example_texts(root):
    texts = []
    for path in sorted((root / "examples" / "carrier-group").iterdir()):
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            texts += [json.loads(line)["text"] for line in raw.splitlines() if line.strip()]
        elif path.suffix == ".html":
            body = re.sub(r"(?s)<(script|style|head).*?</\1>", " ", raw)
            texts.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())
        else:
            texts.append(raw.split("\n---\n", 1)[-1].strip())
    return texts


def dev_set_texts(path):
    return [
        (article.findtext("text") or "").strip()
        for article in ET.parse(path).getroot().iter("article")
        if (article.findtext("text") or "").strip()
    ]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    count, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    root = pathlib.Path(__file__).resolve().parent.parent
    texts = example_texts(root)
    for xml in sys.argv[3:]:
        texts += dev_set_texts(xml)
    out.mkdir(parents=True, exist_ok=True)
    first_day = datetime.date(2023, 1, 1)
    total = 0
    for start in range(0, count, PER_FILE):
        with open(out / f"articles-{start // PER_FILE:05d}.jsonl", "w", encoding="utf-8") as f:
            for i in range(start, min(start + PER_FILE, count)):
                text = texts[i % len(texts)] + "\n\n" + texts[(i + 1) % len(texts)]
                record = {"id": f"a{i:07d}", "text": text}
                if i % UNDATED_EVERY != UNDATED_EVERY - 1:
                    day = first_day + datetime.timedelta(days=(i * 7) % 365)
                    record["published"] = day.isoformat()
                line = json.dumps(record, ensure_ascii=False)
                total += len(record["text"].encode("utf-8"))
                f.write(line + "\n")
    print(f"{count} articles from {len(texts)} texts, {total / 1e6:.1f} MB of text, in {out}")


if __name__ == "__main__":
    main()
