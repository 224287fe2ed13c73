#!/usr/bin/env python3
"""Builds data/hromadas/hromada-attributes.csv.gz, the hromada attributes hromada ships.

Reads the reference files in ../shared/data (see its SOURCES.md) and the codifier shipped in
data/katottg/, and writes one row per hromada of the codifier:

  code, type, centre_code, area_km2, formed_on, voluntary, population_total, population_urban

- type (міська / селищна / сільська): KSE ua-admin-hromada (all 1,772 hromadas; one is NA).
- centre_code: the codifier lists a hromada's administrative centre as the first settlement
  after the hromada's own row. Checked here against KSE's hromada_center_code for all 1,469
  hromadas outside Crimea and Sevastopol; the script stops if one disagrees.
- area_km2: OCHA COD-AB (AREA_SQKM), matched by P-code (the first 9 characters of the code).
- formed_on, voluntary: the earliest amalgamation decision and whether it was voluntary, from
  the decentralisation portal's table as KSE published it (kse_hromada_amalgamation.csv).
- population_total, population_urban: State Statistics Service, 1 January 2022, per hromada
  as KSE aggregated it (kse_ua-pop-2022.csv); Kyiv's own row there has the code NA.

Run from the repository root: python3 data/hromadas/prepare_attributes.py [SHARED_DATA_DIR]
The output is deterministic (sorted rows, gzip without a timestamp).
"""

import csv
import gzip
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
KYIV = "UA80000000000093317"


def read_csv(path, **kw):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, **kw))


def codifier_rows():
    raw = gzip.decompress((ROOT / "data/katottg/kodifikator-2025-07-02.csv.gz").read_bytes())
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    next(reader)
    for row in reader:
        codes = [c for c in row[:5] if c]
        yield codes[-1], row[5], row[6].strip()


def main():
    hromadas, centres, current = [], {}, None
    for code, category, _name in codifier_rows():
        if category == "H":
            hromadas.append(code)
            current = code
        elif category in ("M", "X", "C") and current and current not in centres:
            centres[current] = code
        elif category in ("O", "K", "P"):
            current = None
    known = set(hromadas)

    types = {r["hromada_code"]: r["type"] for r in read_csv(SHARED / "hromadas/kse_ua-admin-hromada.csv")}
    full = {r["hromada_code"]: r for r in read_csv(SHARED / "hromadas/kse_full_dataset.csv")}
    for code, row in full.items():
        if centres.get(code) != row["hromada_center_code"]:
            sys.exit(f"{code}: codifier centre {centres.get(code)} vs KSE {row['hromada_center_code']}")

    areas = {}
    geo = json.loads((SHARED / "boundaries/codab_2024_hromadas_adm3.geojson").read_text(encoding="utf-8"))
    for feature in geo["features"]:
        p = feature["properties"]
        areas[p["ADM3_PCODE"]] = p["AREA_SQKM"]

    formed = {}
    for r in read_csv(SHARED / "hromadas/kse_hromada_amalgamation.csv"):
        dates = [r[f"Decision_date_v{i}"] for i in range(1, 6) if r[f"Decision_date_v{i}"]]
        if dates:
            formed[r["Hromada_code"]] = (min(dates), r["voluntary_amalgamation"])

    population = {}
    for r in read_csv(SHARED / "population/kse_ua-pop-2022.csv"):
        code = KYIV if r["hromada_code"] == "NA" else r["hromada_code"]
        population[code] = (r["total_population_2022"], r["urban_population_2022"])

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "type", "centre_code", "area_km2", "formed_on", "voluntary",
                "population_total", "population_urban"])
    counts = dict.fromkeys(["type", "centre", "area", "formed", "population"], 0)
    for code in sorted(known | {KYIV}):
        kind = types.get(code, "")
        kind = "" if kind == "NA" else kind
        area = areas.get(code[:9])
        on, voluntary = formed.get(code, ("", ""))
        total, urban = population.get(code, ("", ""))
        if code == KYIV:
            # Kyiv is a city with special status, not a hromada of the codifier: it gets its
            # population only; the KSE file gives no urban split for it.
            kind, area, on, voluntary, urban = "", None, "", "", ""
        w.writerow([code, kind, centres.get(code, ""), "" if area is None else f"{area:.2f}",
                    on, voluntary, total, urban])
        counts["type"] += bool(kind)
        counts["centre"] += bool(centres.get(code))
        counts["area"] += area is not None
        counts["formed"] += bool(on)
        counts["population"] += bool(total)
    missing_types = sorted(c for c in known if types.get(c, "NA") == "NA")
    target = ROOT / "data/hromadas/hromada-attributes.csv.gz"
    with open(target, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
            gz.write(out.getvalue().encode("utf-8"))
    print(f"{len(known)} hromadas; filled: {counts}; no type: {missing_types}")
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
