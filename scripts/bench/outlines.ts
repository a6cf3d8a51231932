// A partition shaped like hand-digitised outlines (issue 24): a few hundred grids whose shared
// boundaries were traced separately on each side, hundreds of vertices per grid, never the same
// vertices twice, each side a hair off the true line — so slivers, overlaps and gaps run along
// every shared edge, as in a real community's digitised grids. A few edges are traced metres
// off over a stretch (real gaps and overlaps), and the district's outline, when there is one,
// is traced on its own as well. Deterministic for a seed. The project's own city (city.ts)
// shares its vertices exactly and so hides how the land rule scales with unmatched edges.
import seedrandom from 'seedrandom';
import { Delaunay } from 'd3-delaunay';
import type { Feature, Point } from 'geojson';
import type { BoundaryFeature, BuildingFeature, GridFeature } from '../../src/domain/types';

export interface OutlineOptions {
  seed: number;
  /** how many grids (Voronoi cells of jittered lattice points) */
  grids: number;
  /** mean grid size, metres across */
  cellM?: number;
  /** metres between the vertices a side traces */
  spacingM?: number;
  /** how far a traced vertex may sit off the true line, metres */
  noiseM?: number;
  /** share of shared edges one side traces metres off over a stretch */
  offEdges?: number;
  /** a district outline (traced separately), or none */
  boundary?: boolean;
  /** buildings per grid (households: about three per building) */
  buildingsPerGrid?: number;
}

export interface OutlinePartition {
  boundaries: BoundaryFeature[];
  grids: GridFeature[];
  buildings: BuildingFeature[];
  households: Feature<Point | null>[];
  /** vertices over all grid rings */
  vertices: number;
}

const M = 1 / 111_320;

export function makeOutlines(o: OutlineOptions): OutlinePartition {
  const rnd = seedrandom(`outlines-${o.seed}`);
  const cellM = o.cellM ?? 400, spacing = o.spacingM ?? 5, noise = o.noiseM ?? 0.4, offShare = o.offEdges ?? 0.03;
  const lat0 = 36.5, lon0 = 117.2;
  const cos = Math.cos((lat0 * Math.PI) / 180);
  const at = (x: number, y: number): [number, number] => [lon0 + (x * M) / cos, lat0 + y * M];
  const cols = Math.max(1, Math.round(Math.sqrt(o.grids))), rows = Math.max(1, Math.ceil(o.grids / cols));
  const W = cols * cellM, H = rows * cellM;
  const pts: number[] = [];
  for (let i = 0; i < o.grids; i++) {
    const c = i % cols, r = Math.floor(i / cols);
    // a staggered lattice, jittered: cells of about one size, corners of three
    pts.push((c + 0.5 + (r % 2) * 0.25 + (rnd() - 0.5) * 0.5) * cellM * (cols / (cols + 0.25)), (r + 0.5 + (rnd() - 0.5) * 0.5) * cellM);
  }
  const vor = new Delaunay(pts).voronoi([0, 0, W, H]);
  // nodes by position (the clip computes a shared corner on both sides; round to be safe)
  const nodeKey = (p: number[]) => `${Math.round(p[0] * 1e3)},${Math.round(p[1] * 1e3)}`;
  const cells: [number, number][][] = [];
  const owners = new Map<string, number[]>(); // edge key → the cells that have it
  const edgeKey = (a: number[], b: number[]) => { const ka = nodeKey(a), kb = nodeKey(b); return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`; };
  for (let i = 0; i < o.grids; i++) {
    const poly = vor.cellPolygon(i) as [number, number][] | null;
    if (!poly) { cells.push([]); continue; }
    const ring = poly.slice(0, -1).filter((p, k, a) => nodeKey(p) !== nodeKey(a[(k + a.length - 1) % a.length]));
    cells.push(ring);
    for (let k = 0; k < ring.length; k++) {
      const key = edgeKey(ring[k], ring[(k + 1) % ring.length]);
      if (!owners.has(key)) owners.set(key, []);
      owners.get(key)!.push(i);
    }
  }
  // the true line of each edge: the straight one bent by a slow wave, zero at both ends
  const wave = new Map<string, { a: number; k: number; a2: number; k2: number }>();
  const trueAt = (key: string, p: number[], q: number[], t: number): [number, number] => {
    if (!wave.has(key)) wave.set(key, { a: (rnd() - 0.5) * 0.08, k: 1 + Math.floor(rnd() * 3), a2: (rnd() - 0.5) * 0.015, k2: 4 + Math.floor(rnd() * 6) });
    const w = wave.get(key)!;
    const dx = q[0] - p[0], dy = q[1] - p[1], len = Math.hypot(dx, dy);
    const off = len * (w.a * Math.sin(w.k * Math.PI * t) + w.a2 * Math.sin(w.k2 * Math.PI * t));
    return [p[0] + dx * t - (dy / len) * off, p[1] + dy * t + (dx / len) * off];
  };
  // one side's tracing of an edge, from p to q (its own vertices, its own error)
  const traced = new Map<string, [number, number][]>();
  const trace = (side: string, p: number[], q: number[]): [number, number][] => {
    const key = edgeKey(p, q), k = `${side}#${key}`;
    const forward = nodeKey(p) < nodeKey(q);
    if (!traced.has(k)) {
      const [a, b] = forward ? [p, q] : [q, p];
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const n = Math.floor((len / spacing) * (0.7 + 0.6 * rnd()));
      const ts = Array.from({ length: n }, () => rnd()).sort((x, y) => x - y).filter((t) => t * len > spacing / 2 && (1 - t) * len > spacing / 2);
      // metres off over a stretch: a real gap or overlap between the two sides
      const off = rnd() < offShare ? { t0: rnd() * 0.5, w: 0.2 + rnd() * 0.3, d: (rnd() < 0.5 ? -1 : 1) * (3 + rnd() * 8) } : null;
      // a hand's drift: smooth (waves 30–120 m long), with a little jitter vertex to vertex
      const drift = Array.from({ length: 3 }, () => ({ w: (30 + rnd() * 90) / len, ph: rnd() * 2 * Math.PI, a: noise * (0.3 + 0.4 * rnd()) }));
      const e = Math.min(noise, spacing) / 10;
      const out = ts.map((t) => {
        const [x, y] = trueAt(key, a, b, t);
        const [x2, y2] = trueAt(key, a, b, Math.min(1, t + 1e-3));
        const l = Math.hypot(x2 - x, y2 - y) || 1;
        let d = (rnd() - 0.5) * 2 * e;
        for (const c of drift) d += c.a * Math.sin((2 * Math.PI * t) / c.w + c.ph);
        if (off && t > off.t0 && t < off.t0 + off.w) d += off.d * Math.sin((Math.PI * (t - off.t0)) / off.w);
        return [x - ((y2 - y) / l) * d, y + ((x2 - x) / l) * d] as [number, number];
      });
      traced.set(k, out);
    }
    const line = traced.get(k)!;
    return forward ? line : [...line].reverse();
  };
  // each side places the corners where it sees them too
  const corner = (side: string, p: number[]): [number, number] => {
    const k = `${side}@${nodeKey(p)}`;
    if (!traced.has(k)) traced.set(k, [[p[0] + (rnd() - 0.5) * 2 * noise, p[1] + (rnd() - 0.5) * 2 * noise]]);
    return traced.get(k)![0];
  };
  const district = '370705';
  const perComm = 300; // grid numbers 001–300 per community code
  let vertices = 0;
  const grids: GridFeature[] = [];
  cells.forEach((ring, i) => {
    if (ring.length < 3) return;
    const side = `g${i}`;
    const out: [number, number][] = [];
    for (let k = 0; k < ring.length; k++) {
      const p = ring[k], q = ring[(k + 1) % ring.length];
      out.push(corner(side, p), ...trace(side, p, q));
    }
    out.push(out[0]);
    vertices += out.length - 1;
    const comm = `${district}001${String(1 + Math.floor(i / perComm)).padStart(3, '0')}`;
    grids.push({
      type: 'Feature',
      properties: { code: `${comm}${String(1 + (i % perComm)).padStart(3, '0')}`, name: `第${i + 1}网格`, kind: 'base', community_code: comm, dedicated_type: '', band_min: null, band_max: null },
      geometry: { type: 'Polygon', coordinates: [out.map(([x, y]) => at(x, y))] },
    });
  });
  const boundaries: BoundaryFeature[] = [];
  if (o.boundary ?? true) {
    // the outside edges (one cell each), chained into the district's ring and traced on their own
    const next = new Map<string, number[][]>();
    for (const ring of cells) {
      for (let k = 0; k < ring.length; k++) {
        const p = ring[k], q = ring[(k + 1) % ring.length];
        if (owners.get(edgeKey(p, q))!.length === 1) next.set(nodeKey(p), [p, q]);
      }
    }
    const [start] = next.values();
    const ring: [number, number][] = [];
    let e = start;
    do {
      ring.push(corner('district', e[0]), ...trace('district', e[0], e[1]));
      e = next.get(nodeKey(e[1]))!;
    } while (e && e !== start && ring.length < 1e7);
    ring.push(ring[0]);
    boundaries.push({ type: 'Feature', properties: { code: district, name: '历下区', level: 'district', parent_code: '' }, geometry: { type: 'Polygon', coordinates: [ring.map(([x, y]) => at(x, y))] } });
  }
  // buildings anywhere (some across the traced edges), households in them, a few elsewhere
  const buildings: BuildingFeature[] = [];
  const households: Feature<Point | null>[] = [];
  const nb = Math.round(o.grids * (o.buildingsPerGrid ?? 10));
  let hid = 0;
  for (let k = 0; k < nb; k++) {
    const x = rnd() * W, y = rnd() * H, w = 8 + rnd() * 25, h = 8 + rnd() * 15;
    const c = [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)];
    const id = `B${k}`;
    buildings.push({ type: 'Feature', properties: { id, address: '', levels: 3, residential: rnd() < 0.9 }, geometry: { type: 'Polygon', coordinates: [[...c, c[0]]] } });
    const n = Math.floor(rnd() * 6);
    for (let j = 0; j < n; j++) {
      const r = rnd();
      const p = r < 0.9 ? at(x + w * (0.1 + 0.8 * rnd()), y + h * (0.1 + 0.8 * rnd())) : r < 0.95 ? null : at(rnd() * W, rnd() * H);
      households.push({ type: 'Feature', properties: { id: `H${hid++}`, building_id: id, unit: 1, room: '', residents: 1 + Math.floor(rnd() * 4) }, geometry: p ? { type: 'Point', coordinates: p } : null });
    }
  }
  return { boundaries, grids, buildings, households, vertices };
}
