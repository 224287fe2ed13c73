#!/usr/bin/env python3
"""Builds data/boundaries/outlines.tsv.gz, the map outlines hromada draws (src/registry/maps.rs).

Reads the OCHA COD-AB boundary files (2024) in ../shared/data/boundaries (see SOURCES.md there,
sections 13-14) and writes one line per oblast, raion and hromada:

  level  pcode  minx  miny  maxx  maxy  path

- level: o (oblast, incl. Kyiv UA80 and Sevastopol UA85), r (raion), h (hromada).
- pcode: the COD-AB P-code, the first 4 / 6 / 9 characters of the unit's codifier code.
- minx miny maxx maxy: the bounding box of the path, so a reader needn't parse paths.
- path: SVG path data in the projected integer plane: per ring an absolute M, relative l
  moves, z. Exterior rings run clockwise on screen and holes counter-clockwise, so the
  default nonzero fill rule cuts the holes out.

Projection, once for the whole country: equirectangular around 48.5° N (Ukraine's middle
latitude), north up, 1 unit = 0.001° of latitude ≈ 111 m in both directions:
  x = round((lon - 22.0) * cos(48.5°) * 1000),  y = round((52.5 - lat) * 1000)
Ukraine then spans about x 93..12,070 and y 127..8,113. East-west scale is off by at most 8%
at Ukraine's northern and southern edges, which nobody sees on a web map, and every unit uses
the same plane, so maps of any set of units fit together.

Simplification: Douglas-Peucker per level (tolerances in TOLERANCE, in projected units). The
source is already coarse (about 3.8 km between vertices), so the tolerances are light; their
job is to drop the points that became redundant on the integer grid and, for oblasts, to keep
the map of the whole country small. To keep shared borders consistent, each level is first
cut into arcs the way TopoJSON does (a vertex where the rings sharing it part ways is a
junction) and every arc is simplified once, so both neighbours get the same line. The source
simplified every polygon on its own, so neighbours often disagree between the vertices they
share; where both sides of such a stretch hold only their own vertices and lie within SNAP of
each other, the side with more detail is given to both (see unify_stretches). Rings that
collapse below 3 points are dropped, but a unit always keeps its largest ring.

Run from the repository root: python3 data/boundaries/prepare_outlines.py [BOUNDARIES_DIR]
The output is deterministic (sorted rows, gzip without a timestamp).
"""

import gzip
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "boundaries"
OUTPUT = ROOT / "data" / "boundaries" / "outlines.tsv.gz"

LEVELS = [
    # level, file, P-code property, Douglas-Peucker tolerance (units of ~111 m)
    ("o", "codab_2024_oblasts_adm1.geojson", "ADM1_PCODE", 2.5),
    ("r", "codab_2024_raions_adm2_simplified.geojson", "ADM2_PCODE", 1.5),
    ("h", "codab_2024_hromadas_adm3.geojson", "ADM3_PCODE", 1.5),
]
# Neighbours whose private stretches between two shared vertices lie this close (in units)
# are taken to describe the same border; farther apart they may enclose a real gap.
SNAP = 12

COS = math.cos(math.radians(48.5))
LON0, LAT0, SCALE = 22.0, 52.5, 1000


def project(lon, lat):
    # floor(v + 0.5) instead of round(): no banker's rounding surprises, same result anywhere.
    return (math.floor((lon - LON0) * COS * SCALE + 0.5), math.floor((LAT0 - lat) * SCALE + 0.5))


def polygons(geometry):
    """The polygons (lists of rings, exterior first) of a geometry, whatever its type."""
    kind = geometry["type"]
    if kind == "Polygon":
        yield geometry["coordinates"]
    elif kind == "MultiPolygon":
        yield from geometry["coordinates"]
    elif kind == "GeometryCollection":
        for part in geometry["geometries"]:
            yield from polygons(part)


def clean(points):
    """Drops repeated points (rounding makes many) and the closing copy of the first point."""
    out = []
    for p in points:
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def area2(ring):
    """Twice the signed area; positive is clockwise on screen (y grows downwards)."""
    return sum(
        ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1] for i in range(len(ring))
    )


def seg_dist(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def polyline_dist(p, line):
    return min(seg_dist(p, a, b) for a, b in zip(line, line[1:]))


def douglas_peucker(line, tolerance):
    """Simplifies an open polyline, keeping both ends (iterative: arcs can be long)."""
    if len(line) < 3:
        return list(line)
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = -1.0, -1
        for i in range(first + 1, last):
            d = seg_dist(line[i], line[first], line[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(line, keep) if k]


def load(path, key):
    """{pcode: [[exterior, hole, ...], ...]} with projected, cleaned rings."""
    data = json.loads(path.read_text(encoding="utf-8"))
    units = {}
    for feature in data["features"]:
        pcode = feature["properties"][key]
        if pcode in units:
            sys.exit(f"{path.name}: {pcode} appears twice")
        polys = []
        for polygon in polygons(feature["geometry"]):
            rings = [clean([project(c[0], c[1]) for c in ring]) for ring in polygon]
            if len(rings[0]) >= 3:
                polys.append([r for r in rings if len(r) >= 3])
        units[pcode] = polys
    return units


def between(ring, i, j):
    """The points of a closed ring strictly after index i and before j (all round if i == j)."""
    n = len(ring)
    return [ring[(i + t) % n] for t in range(1, (j - i) % n or n)]


def owners_of(units):
    owners = defaultdict(set)
    for pcode, polys in units.items():
        for rings in polys:
            for ring in rings:
                for p in ring:
                    owners[p].add(pcode)
    return owners


def unify_stretches(units):
    """Makes neighbours agree where both describe one border with vertices of their own.

    A stretch is the part of a ring between two consecutive vertices that other units share;
    its inner vertices are the unit's own. When units A and B both have a stretch between the
    same two shared vertices, within SNAP of each other, they describe the same border
    simplified differently: both get the stretch with more vertices (ties: the lower P-code),
    so the later arc simplification treats it as one shared line. Returns how many stretches
    were replaced.
    """
    owners = owners_of(units)
    stretches = defaultdict(list)  # (pcode, u, v) -> [inner points of each such stretch]
    for pcode, polys in units.items():
        for rings in polys:
            for ring in rings:
                shared = [i for i, p in enumerate(ring) if len(owners[p]) > 1]
                for k, i in enumerate(shared):
                    j = shared[(k + 1) % len(shared)]
                    stretches[(pcode, ring[i], ring[j])].append(between(ring, i, j))
    replace = {}  # (pcode, u, v) -> new inner points for that unit's stretch from u to v
    for (a, u, v), found in sorted(stretches.items()):
        if len(found) != 1 or (a, u, v) in replace:
            continue
        inner_a = found[0]
        for b in sorted((owners[u] & owners[v]) - {a}):
            if b < a:
                continue  # each pair once, from the lower P-code's side
            for key, reverse in (((b, v, u), True), ((b, u, v), False)):
                other = stretches.get(key)
                if not other or len(other) != 1 or key in replace:
                    continue
                inner_b = other[0]
                line_a = [u] + inner_a + [v]
                line_b = [key[1]] + inner_b + [key[2]]
                if line_a == (line_b[::-1] if reverse else line_b):
                    continue
                if any(polyline_dist(p, line_b) > SNAP for p in inner_a) or any(
                    polyline_dist(p, line_a) > SNAP for p in inner_b
                ):
                    continue
                if len(inner_b) > len(inner_a):
                    replace[(a, u, v)] = inner_b[::-1] if reverse else inner_b
                else:
                    replace[key] = inner_a[::-1] if reverse else inner_a
                break
            else:
                continue
            break
    for pcode, polys in units.items():
        for rings in polys:
            for ri, ring in enumerate(rings):
                shared = [i for i, p in enumerate(ring) if len(owners[p]) > 1]
                pairs = [(i, shared[(k + 1) % len(shared)]) for k, i in enumerate(shared)]
                if not any((pcode, ring[i], ring[j]) in replace for i, j in pairs):
                    continue
                out = []
                for i, j in pairs:
                    out.append(ring[i])
                    out.extend(replace.get((pcode, ring[i], ring[j]), between(ring, i, j)))
                rings[ri] = clean(out + out[:1])
    return len(replace)


def simplify_level(units, tolerance):
    """Simplifies every ring arc by arc, so that rings sharing an arc keep sharing it."""
    # A vertex is a junction when the rings through it do not all have the same two
    # neighbours there: that is where a shared border begins or ends.
    neighbours = {}
    junctions = set()
    for polys in units.values():
        for rings in polys:
            for ring in rings:
                n = len(ring)
                for i, p in enumerate(ring):
                    pair = frozenset((ring[i - 1], ring[(i + 1) % n]))
                    seen = neighbours.setdefault(p, pair)
                    if seen != pair:
                        junctions.add(p)
    done = {}

    def simplify_arc(arc):
        # The same arc is met in both directions; simplify one canonical direction.
        backwards = arc[::-1]
        key = tuple(min(arc, backwards))
        if key not in done:
            done[key] = douglas_peucker(list(key), tolerance)
        out = done[key]
        return list(out) if tuple(arc) == key else out[::-1]

    result = {}
    for pcode, polys in units.items():
        new_polys = []
        for rings in polys:
            new_rings = []
            for ring in rings:
                cuts = [i for i, p in enumerate(ring) if p in junctions]
                if not cuts:
                    # A ring nobody shares in part (an island, or an enclave and its hole):
                    # start at its smallest point in a fixed direction, so that the two
                    # copies of an enclave's outline simplify alike.
                    start = ring.index(min(ring))
                    rotated = ring[start:] + ring[:start]
                    if rotated[-1] < rotated[1]:
                        rotated = rotated[:1] + rotated[1:][::-1]
                    line = simplify_arc(rotated + rotated[:1])
                else:
                    line = []
                    for k, i in enumerate(cuts):
                        j = cuts[(k + 1) % len(cuts)]
                        part = simplify_arc([ring[i]] + between(ring, i, j) + [ring[j]])
                        line.extend(part if not line else part[1:])
                new_rings.append(clean(line))
            new_polys.append(new_rings)
        result[pcode] = new_polys
    return result


def outline(original, simplified):
    """The rings to draw: oriented, collapsed ones dropped, never none at all."""
    rings = []
    for orig, simple in zip(original, simplified):
        exterior = simple[0]
        if len(exterior) < 3 or area2(exterior) == 0:
            continue  # a collapsed island takes its holes with it
        rings.append((exterior, True))
        rings.extend((h, False) for h in simple[1:] if len(h) >= 3 and area2(h) != 0)
    if not any(is_exterior for _, is_exterior in rings):
        largest = max((polygon[0] for polygon in original), key=lambda r: abs(area2(r)), default=None)
        if largest is None:
            return []
        rings = [(largest, True)]
    out = []
    for ring, is_exterior in rings:
        if (area2(ring) > 0) != is_exterior:
            ring = ring[:1] + ring[1:][::-1]
        out.append(ring)
    return out


def path_data(rings):
    parts = []
    for ring in rings:
        x, y = ring[0]
        moves = []
        for (ax, ay), (bx, by) in zip(ring, ring[1:]):
            moves.append(f"{bx - ax} {by - ay}")
        # A minus sign separates numbers by itself, so the space before it can go.
        parts.append(f"M{x} {y}l" + " ".join(moves).replace(" -", "-") + "z")
    return "".join(parts)


def main():
    rows, report = [], []
    for level, name, key, tolerance in LEVELS:
        units = load(SOURCE / name, key)
        owners = owners_of(units)
        before = sum(len(r) for polys in units.values() for rings in polys for r in rings)
        shared_before = sum(1 for p, o in owners.items() if len(o) > 1)
        unified = unify_stretches(units)
        shared_after = sum(1 for p, o in owners_of(units).items() if len(o) > 1)
        simplified = simplify_level(units, tolerance)
        vertices, empty = 0, []
        for pcode in sorted(units):
            rings = outline(units[pcode], simplified[pcode])
            if not rings:
                empty.append(pcode)
                continue
            vertices += sum(len(r) for r in rings)
            xs = [p[0] for r in rings for p in r]
            ys = [p[1] for r in rings for p in r]
            rows.append((pcode, level, min(xs), min(ys), max(xs), max(ys), path_data(rings)))
        report.append(
            f"{level}: {len(units) - len(empty)} outlines of {len(units)} units, "
            f"{before} -> {vertices} vertices, shared vertices {shared_before} -> {shared_after} "
            f"({unified} stretches unified)" + (f"; no geometry: {', '.join(empty)}" if empty else "")
        )
    rows.sort()
    lines = [
        "# hromada map outlines (prepare_outlines.py): level, pcode, minx, miny, maxx, maxy, SVG path\n",
        "# x = round((lon - 22) * cos(48.5 deg) * 1000), y = round((52.5 - lat) * 1000); 1 unit ~ 111 m\n",
        "# Source: OCHA COD-AB Ukraine, validOn 2024-04-16 (SSPE 'Kartographia'), CC BY-IGO; simplified\n",
    ]
    for pcode, level, *bbox, path in rows:
        lines.append("\t".join([level, pcode, *map(str, bbox), path]) + "\n")
    text = "".join(lines).encode("utf-8")
    OUTPUT.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    for line in report:
        print(line)
    size = OUTPUT.stat().st_size
    print(f"{OUTPUT.relative_to(ROOT)}: {len(rows)} rows, {len(text):,} bytes, {size:,} bytes gzip")


if __name__ == "__main__":
    main()
