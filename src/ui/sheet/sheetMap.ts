// The approval sheet's map as SVG path data (no React): the plan's box from the changed grids,
// the base map inside it (water, roads, buildings, boundaries), every grid there by its change,
// and the labels that fit. Paths in millimetres on the page, two decimals (0.01 mm).
import type { Feature, Position } from 'geojson';
import type { District } from '../../domain/district';
import type { AreaGeometry, GridFeature } from '../../domain/types';
import type { Comparison, GridChangeKind } from '../../plan/compare';
import {
  boxOf, fitLabels, fitProjection, mapMarks, withMargin, type BBox, type LabelRequest, type PlacedLabel, type Projection, type Rect,
} from '../../domain/sheet';

export type MapChange = 'added' | 'reshaped' | 'removed';

export interface SheetGrid {
  code: string;
  name: string;
  kind: 'base' | 'dedicated';
  /** its change when the plan adds, reshapes or removes it; null for the rest */
  change: MapChange | null;
  d: string;
}

export interface SheetMapData {
  projection: Projection;
  /** the box of the changed grids (before the frame widened it), null when nothing changed */
  changedBox: BBox | null;
  water: string;
  roads: { arterial: string; secondary: string; local: string };
  buildings: string;
  district: string;
  streets: string;
  communities: string;
  grids: SheetGrid[];
  /** reshaped grids' outlines as they were */
  before: string;
  labels: (PlacedLabel & { change: MapChange | null })[];
  /** whether any dedicated grid is drawn, and the district's outline inside the frame (the legend then names them) */
  dedicated: boolean;
  districtShown: boolean;
}

/** Label type sizes in millimetres: 7.4 pt names, 6.2 pt codes — legible on paper, the same on A3 and A4. */
export const LABEL_NAME_MM = 2.6;
export const LABEL_CODE_MM = 2.2;

const r2 = (v: number) => Math.round(v * 100) / 100;
const meets = (a: BBox, b: BBox) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];

function ringsOf(g: AreaGeometry): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

function pathOfRings(rings: Position[][], p: Projection, close: boolean): string {
  let s = '';
  for (const r of rings) {
    r.forEach((c, i) => { const [x, y] = p.project(c[0], c[1]); s += `${i ? 'L' : 'M'}${r2(x)} ${r2(y)}`; });
    if (close) s += 'Z';
  }
  return s;
}

export function sheetMap(d: District, c: Comparison, frame: Rect): SheetMapData {
  const changed = c.features.filter((f) => f.geometry);
  const changedBox = boxOf(changed);
  // nothing changed: the whole district's grids
  const box = withMargin(changedBox ?? boxOf(d.grids) ?? [0, 0, 0.001, 0.001]);
  const projection = fitProjection(box, frame);
  const shown = projection.shown;
  const inView = (f: Pick<Feature, 'geometry'>) => { const b = boxOf([f]); return b !== null && meets(b, shown); };
  const area = (g: AreaGeometry) => pathOfRings(ringsOf(g), projection, true);

  const roads = { arterial: '', secondary: '', local: '' };
  for (const r of d.roads) {
    if (!inView(r)) continue;
    const lines = r.geometry.type === 'LineString' ? [r.geometry.coordinates] : r.geometry.coordinates;
    roads[r.properties.class in roads ? r.properties.class : 'local'] += pathOfRings(lines, projection, false);
  }

  // buildings from the packed footprints, by their boxes (no feature made per building)
  let buildings = '';
  const sh = d.buildings.shapes;
  for (let b = 0; b < d.buildings.count; b++) {
    const bb: BBox = [sh.bbox[4 * b], sh.bbox[4 * b + 1], sh.bbox[4 * b + 2], sh.bbox[4 * b + 3]];
    if (!meets(bb, shown)) continue;
    for (let ring = sh.polyRings[b]; ring < sh.polyRings[b + 1]; ring++) {
      for (let k = sh.ringStart[ring]; k < sh.ringStart[ring + 1]; k++) {
        const [x, y] = projection.project(sh.coords[2 * k], sh.coords[2 * k + 1]);
        buildings += `${k === sh.ringStart[ring] ? 'M' : 'L'}${r2(x)} ${r2(y)}`;
      }
      buildings += 'Z';
    }
  }

  const level = (l: string) => d.boundaries.filter((b) => b.properties.level === l && inView(b)).map((b) => area(b.geometry)).join('');
  const kindOf = new Map<string, GridChangeKind>(c.grids.map((g) => [g.code, g.change]));
  const mapChange = (code: string): MapChange | null => {
    const k = kindOf.get(code);
    return k === 'added' || k === 'reshaped' || k === 'removed' ? k : null;
  };

  const drawn: { g: GridFeature['properties'] | { code: string; name: string; kind: 'base' }; geometry: AreaGeometry; change: MapChange | null }[] = [];
  for (const g of d.grids) if (inView(g)) drawn.push({ g: g.properties, geometry: g.geometry, change: mapChange(g.properties.code) });
  let before = '';
  for (const f of changed) {
    const p = f.properties as { code: string; name: string; change: GridChangeKind; version: string };
    if (p.change === 'removed') drawn.push({ g: { code: p.code, name: p.name, kind: 'base' }, geometry: f.geometry as AreaGeometry, change: 'removed' });
    else if (p.change === 'reshaped' && p.version === 'before') before += area(f.geometry as AreaGeometry);
  }

  const grids: SheetGrid[] = drawn.map((x) => ({ code: x.g.code, name: x.g.name, kind: x.g.kind, change: x.change, d: area(x.geometry) }));
  // labels: the changed grids first, then the larger before the smaller
  const projected = drawn.map((x) => ringsOf(x.geometry).map((r) => r.map((c2) => projection.project(c2[0], c2[1]))));
  const size = (rings: [number, number][][]) => { const xs = rings.flat(); return (Math.max(...xs.map((q) => q[0])) - Math.min(...xs.map((q) => q[0]))) * (Math.max(...xs.map((q) => q[1])) - Math.min(...xs.map((q) => q[1]))); };
  const order = drawn.map((_, i) => i).sort((a, b) => Number(drawn[b].change !== null) - Number(drawn[a].change !== null) || size(projected[b]) - size(projected[a]));
  const requests: LabelRequest[] = order.map((i) => ({
    id: String(i),
    rings: projected[i],
    leader: drawn[i].change !== null,
    variants: [
      [{ text: drawn[i].g.name, size: LABEL_NAME_MM }, { text: drawn[i].g.code, size: LABEL_CODE_MM }],
      [{ text: drawn[i].g.code, size: LABEL_CODE_MM }],
    ],
  }));
  const marks = mapMarks(frame);
  const labels = fitLabels(requests, frame, [marks.north, marks.scale]).map((l) => ({ ...l, id: grids[Number(l.id)].code, change: grids[Number(l.id)].change }));

  return {
    projection, changedBox, roads, buildings, before, labels, grids,
    water: d.water.filter(inView).map((w) => area(w.geometry)).join(''),
    district: level('district'), streets: level('street'), communities: level('community'),
    dedicated: grids.some((g) => g.kind === 'dedicated'),
    districtShown: d.boundaries.some((b) => b.properties.level === 'district' && ringsOf(b.geometry).some((r) => r.some(([x, y]) => x >= shown[0] && x <= shown[2] && y >= shown[1] && y <= shown[3]))),
  };
}
