#!/usr/bin/env python3
"""DuckDB on the analysis benchmark's values (benches/analysis.rs writes the CSV).

Usage: duckdb_analysis.py VALUES.csv YEAR

Loads the CSV into a DuckDB table in memory (not timed), then times the benchmark's three
questions, each the median of 50 runs after 5 warm-up runs:
  (a) the ranking of one indicator for one year (rank with ties, largest first);
  (b) the sum of one indicator by oblast, for every year;
  (c) the population-weighted mean of one indicator by raion, for one year.
"""

import statistics
import sys
import time

import duckdb

csv, year = sys.argv[1], int(sys.argv[2])
con = duckdb.connect()
started = time.perf_counter()
con.execute(
    "CREATE TABLE v AS SELECT * FROM read_csv(?, header = true, columns = {"
    "'unit': 'VARCHAR', 'oblast': 'VARCHAR', 'raion': 'VARCHAR', 'indicator': 'VARCHAR', "
    "'period': 'INTEGER', 'value': 'DOUBLE'})",
    [csv],
)
rows = con.execute("SELECT COUNT(*) FROM v").fetchone()[0]
print(f"DuckDB {duckdb.__version__}: loaded {rows:,} values in {time.perf_counter() - started:.1f} s (not timed below)")

QUESTIONS = [
    (
        "(a) ranking of one indicator, one year",
        "SELECT unit, value, rank() OVER (ORDER BY value DESC) AS place FROM v "
        "WHERE indicator = 'bench_002' AND period = ? ORDER BY place, unit",
        [year],
    ),
    (
        "(b) sum by oblast, every year",
        "SELECT oblast, period, SUM(value) FROM v WHERE indicator = 'bench_002' "
        "GROUP BY oblast, period ORDER BY oblast, period",
        [],
    ),
    (
        "(c) population-weighted mean by raion, one year",
        "SELECT x.raion, SUM(x.value * p.value) / SUM(p.value) FROM v x "
        "JOIN v p ON p.unit = x.unit AND p.period = x.period AND p.indicator = 'population_total' "
        "WHERE x.indicator = 'bench_003' AND x.period = ? GROUP BY x.raion ORDER BY x.raion",
        [year],
    ),
]

for name, sql, params in QUESTIONS:
    for _ in range(5):
        con.execute(sql, params).fetchall()
    times = []
    for _ in range(50):
        t = time.perf_counter()
        result = con.execute(sql, params).fetchall()
        times.append(time.perf_counter() - t)
    print(f"DuckDB {name}: median {statistics.median(times) * 1000:.2f} ms "
          f"(min {min(times) * 1000:.2f}, {len(result)} rows)")
