#!/usr/bin/env python3
# The GEOS peer of the checks bench (scripts/bench/realistic-checks.ts): the work a GIS engineer
# would do with shapely on the realistic city, timed step by step.
#   usage: python3 geos-peer.py DIR      (DIR: .tmp/realistic/city-<size>)
# Reads the files once (timed apart: reading is not the checks), prints one JSON line, then per
# line "run" on stdin does every step once and prints one JSON line; "quit" prints the peak RSS.
# Written for shapely 1.8 (Debian's python3-shapely, GEOS 3.11): no coverage validation there
# (shapely 2.1 / GEOS 3.12's CoverageValidator), so "validate" is is_valid per feature.
import csv
import json
import math
import resource
import sys
import time
import warnings

import numpy as np
import shapely
import shapely.errors
from shapely import geos
from shapely.geometry import shape
from shapely.ops import unary_union
from shapely.prepared import prep
from shapely.strtree import STRtree
import shapely.vectorized

# shapely 1.8 warns that STRtree's items= goes in 2.0; this script is for 1.8
warnings.filterwarnings('ignore', category=shapely.errors.ShapelyDeprecationWarning)


def m2_per_deg2(lat):
    """Square metres per square degree at a latitude (WGS84, series to cos 4φ): areas of
    district-sized pieces within 0.01 % of a geodesic area, as PostGIS's geography gives."""
    p = math.radians(lat)
    per_lat = 111132.92 - 559.82 * math.cos(2 * p) + 1.175 * math.cos(4 * p)
    per_lon = 111412.84 * math.cos(p) - 93.5 * math.cos(3 * p)
    return per_lat * per_lon


def area_m2(g):
    return 0.0 if g.is_empty else g.area * m2_per_deg2(g.centroid.y)


def polygons(g):
    if g.is_empty:
        return []
    return list(g.geoms) if hasattr(g, 'geoms') else [g]


def read(d):
    t = {}
    t0 = time.perf_counter()
    with open(f'{d}/grids.geojson') as f:
        gj = json.load(f)['features']
    grids = [shape(f['geometry']) for f in gj]
    codes = [str(f['properties'].get('name') or f['properties'].get('id')) for f in gj]
    with open(f'{d}/boundary.geojson') as f:
        boundary = unary_union([shape(f['geometry']) for f in json.load(f)['features']])
    t['grids'] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with open(f'{d}/buildings.geojson') as f:
        buildings = [shape(f['geometry']) for f in json.load(f)['features']]
    t['buildings'] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with open(f'{d}/households.csv') as f:
        header = next(csv.reader(f))
        xy = np.loadtxt(f, delimiter=',', usecols=(header.index('lon'), header.index('lat')), dtype=np.float64, ndmin=2)
    t['households'] = time.perf_counter() - t0
    return grids, codes, boundary, buildings, xy, t


def step_validate(grids, buildings):
    """No coverage validation in shapely 1.8: each grid's and building's own validity."""
    return {'invalid_grids': sum(1 for g in grids if not g.is_valid),
            'invalid_buildings': sum(1 for b in buildings if not b.is_valid)}


def step_households(grids, xy):
    """Points binned into cells (a sort: numpy's STRtree for points), each grid's candidates
    by its bbox's cells, then shapely.vectorized.contains (a prepared geometry per grid)."""
    x, y = xy[:, 0], xy[:, 1]
    x0, y0 = float(x.min()), float(y.min())
    # cells about a grid's size: a grid's bbox spans a few cells
    b = np.array([g.bounds for g in grids])
    cell = float(np.median(np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]))) / 2
    nx = int((float(x.max()) - x0) / cell) + 1
    ny = int((float(y.max()) - y0) / cell) + 1
    cx = np.minimum(((x - x0) / cell).astype(np.int64), nx - 1)
    cy = np.minimum(((y - y0) / cell).astype(np.int64), ny - 1)
    key = cy * nx + cx
    order = np.argsort(key, kind='stable')
    start = np.searchsorted(key[order], np.arange(nx * ny + 1))
    xs, ys = x[order], y[order]
    hits = np.zeros(len(x), dtype=np.int32)
    pairs = 0
    for g, (a0, a1, a2, a3) in zip(grids, b):
        i0, i1 = max(int((a0 - x0) / cell), 0), min(int((a2 - x0) / cell), nx - 1)
        j0, j1 = max(int((a1 - y0) / cell), 0), min(int((a3 - y0) / cell), ny - 1)
        for j in range(j0, j1 + 1):
            s, e = start[j * nx + i0], start[j * nx + i1 + 1]
            if s == e:
                continue
            inside = shapely.vectorized.contains(g, xs[s:e], ys[s:e])
            n = int(inside.sum())
            if n:
                pairs += n
                hits[order[s:e][inside]] += 1
    return {'pairs': pairs, 'located': int((hits > 0).sum()), 'double': int((hits > 1).sum()),
            'orphan': int((hits == 0).sum())}


def step_buildings(grids, buildings, tree, prepared, clean=0.95):
    """Candidates from an STRtree of the grids; a prepared contains settles most buildings,
    the rest by intersection areas; the largest share per building."""
    straddling = orphan = 0
    for bg in buildings:
        best = 0.0
        cands = tree.query_items(bg)
        for c in cands:
            if prepared[c].contains(bg):
                best = 1.0
                break
        if best < 1.0:
            a = bg.area
            for c in cands:
                if prepared[c].intersects(bg):
                    best = max(best, grids[c].intersection(bg).area / a)
        if best <= 0.0:
            orphan += 1
        elif best < clean:
            straddling += 1
    return {'straddling': straddling, 'orphan_buildings': orphan}


def step_gaps(grids, boundary, sliver=1.0):
    """The district minus the union of the grids, in pieces; pieces over 1 m²."""
    rest = boundary.difference(unary_union(grids))
    areas = [area_m2(p) for p in polygons(rest)]
    big = [a for a in areas if a > sliver]
    return {'gaps': len(big), 'gap_m2': sum(big)}


def step_overlaps(grids, tree, sliver=1.0):
    """Pairs of grids whose interiors meet (DE-9IM 2********), their intersection's area."""
    n = 0
    total = 0.0
    for i, g in enumerate(grids):
        for j in tree.query_items(g):
            if j <= i:
                continue
            h = grids[j]
            if g.relate_pattern(h, '2********'):
                a = area_m2(g.intersection(h))
                if a > sliver:
                    n += 1
                    total += a
    return {'overlaps': n, 'overlap_m2': total}


def run(grids, boundary, buildings, xy):
    out = {'ms': {}, 'counts': {}}

    def timed(name, f):
        t0 = time.perf_counter()
        r = f()
        out['ms'][name] = (time.perf_counter() - t0) * 1000
        out['counts'].update(r)
        return r

    timed('validate', lambda: step_validate(grids, buildings))
    timed('households', lambda: step_households(grids, xy))
    # the tree and prepared grids are part of the work: timed with the step that first needs them
    t0 = time.perf_counter()
    tree = STRtree(grids, items=range(len(grids)))
    prepared = [prep(g) for g in grids]
    out['ms']['index'] = (time.perf_counter() - t0) * 1000
    timed('buildings', lambda: step_buildings(grids, buildings, tree, prepared))
    timed('gaps', lambda: step_gaps(grids, boundary))
    timed('overlaps', lambda: step_overlaps(grids, tree))
    out['ms']['total'] = sum(v for k, v in out['ms'].items())
    return out


def main():
    d = sys.argv[1]
    grids, codes, boundary, buildings, xy, t = read(d)
    print(json.dumps({'ready': True, 'shapely': shapely.__version__, 'geos': geos.geos_version_string,
                      'read_ms': {k: v * 1000 for k, v in t.items()},
                      'n': {'grids': len(grids), 'buildings': len(buildings), 'households': len(xy)}}), flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == 'run':
            print(json.dumps(run(grids, boundary, buildings, xy)), flush=True)
        elif cmd == 'quit':
            break
    print(json.dumps({'maxrss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


if __name__ == '__main__':
    main()
