// Grids of different communities covering the same land (rule 1, issue 21). Each community's
// land is checked with its own grids (land.ts), so there two grids of different communities
// are never compared. Two grids covering the same land are an overlap whatever the boundaries
// say, and grids of different communities can only meet where one of them lies outside its
// community (spill) or where the communities' boundaries overlap each other: the grids near
// those places are checked together, as one region without an outline, and each overlap
// between grids of different communities is listed. (A grid in no community at all is near
// everything it covers.) The grids away from them are never looked at.
import Flatbush from 'flatbush';
import { checkLandRegion, geomBBox, type LandFinding, type LandMember } from './land';

export type Box = [number, number, number, number];

export interface AcrossMember extends LandMember {
  /** the region (community) it is checked in; null for a grid in none */
  region: string | null;
}

/**
 * Overlaps between grids of different regions: `members` are the grids that tile the regions
 * (dedicated grids on top left out, as they are in each region), `zones` the boxes where grids
 * of different regions can meet. Findings are `overlap`s with the grids' codes, like a region's.
 */
export function overlapsAcross(members: AcrossMember[], zones: Box[], sliverM2: number): LandFinding[] {
  const loose = members.filter((m) => m.region === null).map((m) => geomBBox(m.geometry));
  const all = [...zones, ...loose];
  if (all.length === 0 || members.length < 2) return [];
  const index = new Flatbush(all.length);
  for (const b of all) index.add(...b);
  index.finish();
  const near = members.filter((m) => index.search(...geomBBox(m.geometry)).length > 0);
  if (near.length < 2) return [];
  // Codes as positions in `near`, so grids of one code in two communities stay apart.
  const result = checkLandRegion({
    code: '', geometry: null, onTop: [],
    members: near.map((m, k) => ({ ...m, code: String(k) })),
  }, { sliverM2 });
  const regionOf = (m: AcrossMember) => m.region ?? `#${m.grid}`;
  const out: LandFinding[] = [];
  for (const f of result.findings) {
    if (f.kind !== 'overlap') continue;
    const grids = f.ids.map((k) => near[Number(k)]);
    if (new Set(grids.map(regionOf)).size < 2) continue; // within one community: its own check lists it
    out.push({ ...f, region: '', ids: grids.map((m) => m.code).sort() });
  }
  return out;
}
