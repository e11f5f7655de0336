"""Derive geo/data/subdivisions.csv: the first-level subdivisions of every country but the US.

    pip install countrystatecity-countries && python docs/make_subdivisions.py

Source: the countries-states-cities database (ODbL 1.0) as packaged in ``countrystatecity-countries``.
Kept: provinces, states, regions, departments, counties, districts, prefectures, governorates and the
like, with a point. Left out: units that are towns (municipalities, communes, cities, villages,
London boroughs, parishes), whose places GeoNames already gives, and the US (its states are curated).
"""

from __future__ import annotations

import csv
import io
import json
from importlib import metadata, resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "geo" / "data" / "subdivisions.csv"
TOWN_LIKE = {
    "municipality", "city", "village", "commune", "local council", "rural municipality", "urban municipality",
    "district municipality", "metropolitan district", "london borough", "parish", "town", "city municipality",
    "municipal corporation", "municipio", "borough", "city corporation", "capital city", "autonomous city",
}


def main() -> None:
    data = resources.files("countrystatecity_countries") / "data" / "by-country"
    rows = []
    for country in sorted(data.iterdir(), key=lambda p: p.name):
        states = country / "states.json"
        if country.name == "US" or not states.is_file():
            continue
        for s in json.loads(states.read_text(encoding="utf-8")):
            kind = (s.get("type") or "").strip().lower()
            if kind in TOWN_LIKE or not s.get("latitude") or not s.get("longitude"):
                continue
            code = s.get("iso3166_2") or f"{s['country_code']}-{s['state_code']}"
            rows.append((code, s["country_code"], s["state_code"], s["name"].strip(), kind,
                         f"{float(s['latitude']):.4f}", f"{float(s['longitude']):.4f}"))
    rows = sorted({r[0]: r for r in sorted(rows, reverse=True)}.values())  # one row an id (some are listed twice)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "country", "code", "name", "type", "lat", "lon"])
    w.writerows(rows)
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    version = metadata.version("countrystatecity-countries")
    print(f"{OUT}: {len(rows)} subdivisions from countrystatecity-countries {version}")


if __name__ == "__main__":
    main()
