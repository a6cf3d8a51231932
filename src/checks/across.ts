// Grids of different communities covering the same land (rule 1, issue 21). Each community's
// land is checked with its own grids (land.ts), so there two grids of different communities
// are never compared. Two grids covering the same land are an overlap whatever the boundaries
// say, and grids of different communities can only meet where one of them lies outside its
// community (spill) or where the communities' boundaries overlap each other: the grids near
// those places are checked together, as one region without an outline, and each overlap
// between grids of different communities is listed. (A grid in no community at all is near
// everything it covers.) The grids away from them are never looked at. Dedicated grids drawn
// on top of base grids take part like the others (their spill is a place too). A piece is
// listed here with every grid of its kind covering it, those of one community included: that
// community's own check then leaves it out (land.ts, `foreign`), so it is listed once.
import Flatbush from 'flatbush';
import { checkLandRegion, geomBBox, type LandFinding, type LandMember } from './land';

export type Box = [number, number, number, number];

export interface AcrossMember extends LandMember {
  /** the region (community) it is checked in; null for a grid in none */
  region: string | null;
}

export interface AcrossFinding extends LandFinding {
  /** the grids of `ids`, as given (codes may repeat across communities) */
  grids: AcrossMember[];
}

/**
 * Overlaps between grids of different regions: `members` are the grids of the regions (those
 * drawn on top included) and those in none, `zones` the boxes where grids of different regions
 * can meet. Findings are `overlap`s with the grids' codes, like a region's; `near` are the
 * grids looked at (every grid that can share land with one of another region).
 */
export function overlapsAcross(members: AcrossMember[], zones: Box[], sliverM2: number): { findings: AcrossFinding[]; near: AcrossMember[] } {
  const none = { findings: [], near: [] };
  const loose = members.filter((m) => m.region === null).map((m) => geomBBox(m.geometry));
  const all = [...zones, ...loose];
  if (all.length === 0 || members.length < 2) return none;
  const index = new Flatbush(all.length);
  for (const b of all) index.add(...b);
  index.finish();
  const near = members.filter((m) => index.search(...geomBBox(m.geometry)).length > 0);
  if (near.length < 2) return none;
  // Codes as positions in `near`, so grids of one code in two communities stay apart.
  const result = checkLandRegion({
    code: '', geometry: null, onTop: [],
    members: near.map((m, k) => ({ ...m, code: String(k) })),
  }, { sliverM2 });
  const regionOf = (m: AcrossMember) => m.region ?? `#${m.grid}`;
  const out: AcrossFinding[] = [];
  for (const f of result.findings) {
    if (f.kind !== 'overlap') continue;
    const grids = f.ids.map((k) => near[Number(k)]);
    if (new Set(grids.map(regionOf)).size < 2) continue; // within one community: its own check lists it
    out.push({ ...f, region: '', ids: grids.map((m) => m.code).sort(), grids });
  }
  return { findings: out, near };
}
