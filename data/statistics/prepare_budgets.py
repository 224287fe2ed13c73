#!/usr/bin/env python3
"""Extracts the local budget revenues that hromada loads as approved statistics.

Reads KSE's derived table of hromada budget revenues (../shared/data/budgets/
kse_hromada_budget_2020_2022.csv; 1,469 hromadas x 2021, 2022, 2023, from OpenBudget) and writes
budgets-2021-2023.csv.gz: the hromada's codifier code, the year, and each revenue line in UAH,
rounded to kopiyky (the source carries binary floating-point noise such as 22014600.559999987).
The shares and change columns are left out: hromada computes what it shows from the amounts.

    python3 data/statistics/prepare_budgets.py ../shared/data/budgets/kse_hromada_budget_2020_2022.csv
"""

import csv
import gzip
import io
import sys
from decimal import Decimal, ROUND_HALF_EVEN
from pathlib import Path

LINES = [
    "income_total",
    "income_own",
    "income_transfert",
    "income_base_subsidy",
    "income_pdfo",
    "income_military",
    "income_unified_tax",
    "income_property_tax",
    "income_excise_duty",
    "income_corporate_tax",
    "income_parking_fee",
    "income_tourist_fee",
    "income_eco_tax",
    "income_non_tax",
    "income_capital_proceedings",
    "income_special_funds",
    "income_rent",
]


def main(source: str) -> None:
    out = Path(__file__).with_name("budgets-2021-2023.csv.gz")
    rows = []
    with open(source, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            amounts = []
            for line in LINES:
                value = Decimal(r[line]).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
                amounts.append(f"{value:.2f}")
            rows.append([r["hromada_code"], r["year"], *amounts])
    rows.sort()
    # mtime=0: the same input gives the same bytes.
    with gzip.GzipFile(out, "wb", mtime=0) as raw:
        with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            w = csv.writer(text, lineterminator="\n")
            w.writerow(["hromada_code", "year", *LINES])
            w.writerows(rows)
    print(f"{out.name}: {len(rows)} rows")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/budgets/kse_hromada_budget_2020_2022.csv")
