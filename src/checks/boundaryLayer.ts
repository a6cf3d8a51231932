// The boundary layer checked on its own (issue 21): the polygons of one level under one parent
// (the communities of a street, the streets of a district) must not overlap each other, and
// must leave no gap inside their parent where the parent is loaded. The grids are checked
// against these polygons, so where two communities are digitised over each other, or leave a
// strip between them, the grids' report alone cannot say so. Findings of their own kinds,
// listed apart from the grids': boundary_overlap (the overlapping polygons' codes) and
// boundary_gap (the parent's code, then those of the polygons along the gap). Pieces under the
// sliver tolerance are the rounding of two digitisations, not listed.
import type { BoundaryFeature } from '../domain/types';
import { checkLandRegion, type LandFinding } from './land';

export interface BoundaryFinding {
  kind: 'boundary_overlap' | 'boundary_gap';
  ids: string[];
  area_m2: number;
  geometry: LandFinding['geometry'];
}

export function checkBoundaryLayer(boundaries: BoundaryFeature[], sliverM2: number): BoundaryFinding[] {
  const byCode = new Map<string, BoundaryFeature>();
  for (const b of boundaries) if (!byCode.has(b.properties.code)) byCode.set(b.properties.code, b);
  const groups = new Map<string, BoundaryFeature[]>();
  for (const b of byCode.values()) {
    const key = `${b.properties.level ?? ''}|${b.properties.parent_code ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(b);
    else groups.set(key, [b]);
  }
  const out: BoundaryFinding[] = [];
  for (const list of groups.values()) {
    const members = list.map((b, k) => ({ grid: k, code: b.properties.code, kind: 'base' as const, geometry: b.geometry }));
    // Overlaps between the polygons themselves, wherever they lie (inside the parent or not).
    if (list.length > 1) {
      for (const f of checkLandRegion({ code: '', geometry: null, members, onTop: [] }, { sliverM2 }).findings) {
        if (f.kind === 'overlap') out.push({ kind: 'boundary_overlap', ids: f.ids, area_m2: f.area_m2, geometry: f.geometry });
      }
    }
    // Gaps inside the parent, when it is loaded.
    const parentCode = list[0].properties.parent_code;
    const parent = parentCode ? byCode.get(parentCode) : undefined;
    if (!parent) continue;
    for (const f of checkLandRegion({ code: parent.properties.code, geometry: parent.geometry, members, onTop: [] }, { sliverM2 }).findings) {
      if (f.kind === 'gap') out.push({ kind: 'boundary_gap', ids: [parent.properties.code, ...f.ids], area_m2: f.area_m2, geometry: f.geometry });
    }
  }
  return out;
}
