#!/usr/bin/env python3
"""Consistency check for the hand-written gazetteer tables.

The tables (marine.tsv, landmarks.tsv, demonyms.tsv) are typed in by people, so
this script catches what typing gets wrong: a marine point dropped on land, a
point outside its own bounding box, a duplicated id, an unknown kind or country
code, an alias claimed by two rows, a UN member without a demonym.

The land test needs a Natural Earth land layer (GeoJSON). It is development
data and is not shipped; when the file is absent the land test is skipped with
a message and every other test still runs.

Usage: python3 gazetteer/check_tables.py [path/to/ne_50m_land.json]
       (or set MENTIONMAP_NE_LAND). Python 3 standard library only.
Exit status 1 when any error is found.
"""

import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LAND = os.path.join(HERE, "..", "..", "shared", "data", "natural-earth", "ne_50m_land.json")

MARINE_COLUMNS = ["id", "name", "kind", "lat", "lon", "west", "south", "east", "north", "countries", "aliases"]
LANDMARK_COLUMNS = ["id", "name", "kind", "lat", "lon", "country", "stands_for", "aliases"]
DEMONYM_COLUMNS = ["word", "country"]
MARINE_KINDS = {"sea", "strait", "gulf", "bay", "channel", "sound", "ocean", "canal"}

# Water that the 1:50m coastline cannot show: canals, and narrows or
# enclosed basins a few kilometres wide that the generalised land polygons
# fill in. Their points were placed on the water by hand; the land test
# reports them instead of failing on them.
NARROWER_THAN_COASTLINE = {
    "panama_canal": "canal through Gatun Lake, not drawn at 1:50m",
    "suez_canal": "point in the Great Bitter Lake, not drawn at 1:50m",
    "kiel_canal": "canal, not drawn at 1:50m",
    "corinth_canal": "canal 25 m wide",
}

# Aliases that honestly name two different rows; the resolver has to pick by
# context. Anything else claimed twice is an error.
SHARED_ALIASES = set()

# The 193 UN member states; every one needs at least one demonym row.
UN_MEMBERS = set(
    """AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI
    CV KH CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ KP DK DJ DM DO EC EG SV GQ ER EE
    SZ ET FJ FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP
    JO KZ KE KI KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN
    ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR RO RU RW
    KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL
    TG TO TT TN TR TM TV UG UA AE GB US UY UZ VU VE VN YE ZM ZW""".split()
)
# UN members whose only English demonym is spelled exactly like another
# country's; the word is listed once, under the country news means far more
# often, so these two have no row of their own.
DEMONYM_TAKEN = {
    "CG": "'Congolese' is listed under CD (Democratic Republic of the Congo)",
    "DM": "'Dominican' is listed under DO (Dominican Republic)",
}
# Codes that are not UN members but name places the tables need: observer
# states, territories with their own coasts or bases, and Antarctica.
OTHER_CODES = set("PS VA TW HK MO GL FO PR GU IO NC BM VG AI GI IM AX YT AQ FK GS".split())
KNOWN_CODES = UN_MEMBERS | OTHER_CODES


def read_tsv(path, columns, errors):
    """Rows of a TSV as dicts; a wrong header or field count is an error."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        if header != columns:
            errors.append(f"{os.path.basename(path)}: header {header} != {columns}")
            return rows
        for number, line in enumerate(handle, start=2):
            line = line.rstrip("\n")
            if not unicodedata.is_normalized("NFC", line):
                errors.append(f"{os.path.basename(path)}:{number}: text is not in Unicode NFC")
            if not line:
                errors.append(f"{os.path.basename(path)}:{number}: empty line")
                continue
            fields = line.split("\t")
            if len(fields) != len(columns):
                errors.append(f"{os.path.basename(path)}:{number}: {len(fields)} fields, want {len(columns)}")
                continue
            if any(f != f.strip() for f in fields):
                errors.append(f"{os.path.basename(path)}:{number}: stray whitespace around a field")
            row = dict(zip(columns, fields))
            row["_line"] = number
            rows.append(row)
    return rows


def parse_coordinate(text, limit, where, errors):
    """A decimal degree with exactly three decimals, within +-limit."""
    if not re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
        errors.append(f"{where}: coordinate {text!r} is not a degree with 3 decimals")
        return None
    value = float(text)
    if abs(value) > limit:
        errors.append(f"{where}: coordinate {text} outside +-{limit}")
        return None
    return value


def split_list(text):
    return [part for part in text.split("|") if part] if text else []


def inside_bbox(lat, lon, west, south, east, north):
    """Bounding-box membership; west > east means the box crosses 180 degrees."""
    if not south <= lat <= north:
        return False
    if west <= east:
        return west <= lon <= east
    return lon >= west or lon <= east


class LandLayer:
    """Polygons of a Natural Earth land GeoJSON with a per-polygon bbox."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as handle:
            collection = json.load(handle)
        self.polygons = []
        for feature in collection["features"]:
            geometry = feature["geometry"]
            if geometry["type"] == "Polygon":
                self._add(geometry["coordinates"])
            elif geometry["type"] == "MultiPolygon":
                for polygon in geometry["coordinates"]:
                    self._add(polygon)

    def _add(self, rings):
        outer = rings[0]
        xs = [p[0] for p in outer]
        ys = [p[1] for p in outer]
        self.polygons.append(((min(xs), min(ys), max(xs), max(ys)), rings))

    def contains(self, lon, lat):
        for (x0, y0, x1, y1), rings in self.polygons:
            if not (x0 <= lon <= x1 and y0 <= lat <= y1):
                continue
            if ring_contains(rings[0], lon, lat) and not any(ring_contains(h, lon, lat) for h in rings[1:]):
                return True
        return False


def ring_contains(ring, x, y):
    """Even-odd ray casting."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def check_codes(codes, where, errors):
    for code in codes:
        if code not in KNOWN_CODES:
            errors.append(f"{where}: unknown country code {code!r}")


def check_marine(path, land, errors, notes):
    rows = read_tsv(path, MARINE_COLUMNS, errors)
    seen_ids = set()
    claims = {}  # lower-cased name or alias -> ids claiming it
    for row in rows:
        where = f"marine.tsv:{row['_line']} ({row['id']})"
        if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", row["id"]):
            errors.append(f"{where}: id is not a lowercase slug")
        if row["id"] in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(row["id"])
        if row["kind"] not in MARINE_KINDS:
            errors.append(f"{where}: unknown kind {row['kind']!r}")
        if not row["name"]:
            errors.append(f"{where}: empty name")
        lat = parse_coordinate(row["lat"], 90, where, errors)
        lon = parse_coordinate(row["lon"], 180, where, errors)
        try:
            west, south, east, north = (float(row[k]) for k in ("west", "south", "east", "north"))
        except ValueError:
            errors.append(f"{where}: bounding box is not numeric")
            continue
        if south >= north:
            errors.append(f"{where}: bounding box south {south} >= north {north}")
        if west > east and row["kind"] not in {"ocean", "sea", "gulf", "strait"}:
            errors.append(f"{where}: west > east (antimeridian) on a {row['kind']}")
        if west > east:
            notes.append(f"antimeridian bbox: {row['id']} ({west} .. {east})")
        if lat is not None and lon is not None:
            if not inside_bbox(lat, lon, west, south, east, north):
                errors.append(f"{where}: point {lat},{lon} outside its own bbox")
            if land is not None and land.contains(lon, lat):
                if row["id"] in NARROWER_THAN_COASTLINE:
                    notes.append(f"on 1:50m land, allowed: {row['id']} ({NARROWER_THAN_COASTLINE[row['id']]})")
                else:
                    errors.append(f"{where}: point {lat},{lon} is on land")
            elif land is not None and row["id"] in NARROWER_THAN_COASTLINE:
                errors.append(f"{where}: listed as narrower than the coastline but its point is in water; unlist it")
        countries = split_list(row["countries"])
        if not countries:
            errors.append(f"{where}: no coastal countries")
        check_codes(countries, where, errors)
        aliases = split_list(row["aliases"])
        if row["aliases"] and len(aliases) != row["aliases"].count("|") + 1:
            errors.append(f"{where}: empty alias between pipes")
        for label in [row["name"]] + aliases:
            claims.setdefault(label.casefold(), []).append(row["id"])
        if len({a.casefold() for a in aliases} | {row["name"].casefold()}) != len(aliases) + 1:
            errors.append(f"{where}: an alias repeats the name or another alias")
    for label, ids in sorted(claims.items()):
        if len(set(ids)) > 1:
            if label in SHARED_ALIASES:
                notes.append(f"shared alias {label!r}: {', '.join(ids)}")
            else:
                errors.append(f"marine.tsv: {label!r} claimed by {', '.join(ids)}")
    return rows, claims


def check_landmarks(path, errors):
    rows = read_tsv(path, LANDMARK_COLUMNS, errors)
    seen_ids = set()
    claims = {}
    for row in rows:
        where = f"landmarks.tsv:{row['_line']} ({row['id']})"
        if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", row["id"]):
            errors.append(f"{where}: id is not a lowercase slug")
        if row["id"] in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(row["id"])
        if row["kind"] != "landmark":
            errors.append(f"{where}: kind must be 'landmark'")
        parse_coordinate(row["lat"], 90, where, errors)
        parse_coordinate(row["lon"], 180, where, errors)
        check_codes([row["country"]], where, errors)
        if row["stands_for"]:
            match = re.fullmatch(r"country:([A-Z]{2})", row["stands_for"])
            if not match:
                errors.append(f"{where}: stands_for {row['stands_for']!r} is not country:XX")
            else:
                check_codes([match.group(1)], where, errors)
                if match.group(1) != row["country"]:
                    errors.append(f"{where}: stands for {match.group(1)} but sits in {row['country']}")
        for label in [row["name"]] + split_list(row["aliases"]):
            claims.setdefault(label.casefold(), []).append(row["id"])
    for label, ids in sorted(claims.items()):
        if len(set(ids)) > 1:
            errors.append(f"landmarks.tsv: {label!r} claimed by {', '.join(ids)}")
    return rows, claims


def check_demonyms(path, errors):
    rows = read_tsv(path, DEMONYM_COLUMNS, errors)
    seen = set()
    covered = set()
    for row in rows:
        where = f"demonyms.tsv:{row['_line']} ({row['word']})"
        key = row["word"].casefold()
        if key in seen:
            errors.append(f"{where}: word listed twice")
        seen.add(key)
        check_codes([row["country"]], where, errors)
        covered.add(row["country"])
    for code in sorted(UN_MEMBERS - covered - set(DEMONYM_TAKEN)):
        errors.append(f"demonyms.tsv: UN member {code} has no demonym")
    return rows


def main():
    land_path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MENTIONMAP_NE_LAND", DEFAULT_LAND)
    errors, notes = [], []
    land = None
    if os.path.exists(land_path):
        land = LandLayer(land_path)
    else:
        print(f"land layer {land_path} not found: skipping the point-in-water test")
    marine, marine_claims = check_marine(os.path.join(HERE, "marine.tsv"), land, errors, notes)
    landmarks, landmark_claims = check_landmarks(os.path.join(HERE, "landmarks.tsv"), errors)
    demonyms = check_demonyms(os.path.join(HERE, "demonyms.tsv"), errors)
    for label in sorted(set(marine_claims) & set(landmark_claims)):
        errors.append(f"{label!r} is both a marine name and a landmark name")
    for note in notes:
        print("note:", note)
    for error in errors:
        print("ERROR:", error)
    print(f"marine {len(marine)} rows, landmarks {len(landmarks)} rows, demonyms {len(demonyms)} rows, "
          f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
