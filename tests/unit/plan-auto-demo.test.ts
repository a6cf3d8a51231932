// The acceptance of the proposals on the demo: repair takes every planted gap and overlap
// (with the size limit raised above them), auto-split and auto-merge bring every base grid
// into band, each accepted as one edit through the district session; then the land and size
// rules are clean, and undo takes a proposal back.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { readFlatGeobuf } from '../../src/io/flatgeobuf';
import { caseColumns } from '../../src/workspace/caseTable';
import { DistrictSession, type GridView } from '../../src/workspace/session';
import type { RawLayers } from '../../src/workspace/assemble';
import type { Drafts } from '../../src/store/drafts';
import type { ProposalRequest } from '../../src/workspace/proposals';

async function demo(): Promise<RawLayers> {
  const L: Record<string, Feature[]> = {};
  for (const n of ['boundaries', 'grids', 'roads', 'water', 'buildings', 'households', 'cases']) L[n] = await readFlatGeobuf(new Uint8Array(readFileSync(`data/demo/${n}.fgb`)));
  return { ...(L as unknown as RawLayers), meta: JSON.parse(readFileSync('data/demo/meta.json', 'utf8')), cases: caseColumns(L.cases as never) };
}

describe('proposals on the demo', () => {
  it('repair, auto-split and auto-merge leave the land and size rules clean', async () => {
    const raw = await demo();
    const drafts = { record: async () => {}, setDone: async () => {} } as unknown as Drafts;
    const { session, district } = DistrictSession.open(raw, { workspaceId: 'demo-copy', drafts });
    let view: Pick<GridView, 'report' | 'grids'> = district;
    const kinds = (ks: string[]) => view.report.findings.filter((f) => ks.includes(f.kind));
    const timings: string[] = [];
    const take = async (req: ProposalRequest) => {
      const t = performance.now();
      const p = await session.propose(req);
      if (!p.ok) throw new Error(`${req.kind}: ${p.code} ${JSON.stringify(p.values)}`);
      timings.push(`${req.kind} ${Math.round(performance.now() - t)} ms`);
      const a = await session.accept(p.proposal.id);
      if (!a.ok) throw new Error(a.code);
      view = a.view;
      return p.proposal;
    };
    expect(kinds(['gap', 'overlap']).length).toBe(6);

    const repair = await take({ kind: 'repair', maxAreaM2: 6000 });
    expect(repair.left).toEqual([]);
    expect(kinds(['gap', 'overlap', 'spill', 'invalid_edges']).map((f) => `${f.kind} ${f.ids}`)).toEqual([]);
    const undone = await session.undo();
    expect(undone.ok && undone.view.report.findings.filter((f) => f.kind === 'gap' || f.kind === 'overlap').length).toBe(6);
    const redone = await session.redo();
    if (redone.ok) view = redone.view;

    for (let guard = 0; guard < 10 && kinds(['over_band']).length; guard++) {
      const p = await take({ kind: 'split', codes: [kinds(['over_band'])[0].ids[0]], seed: 1 });
      expect(p.scores.after.inBand).toBeGreaterThan(p.scores.before.inBand);
    }
    const communities = [...new Set(kinds(['under_band']).map((f) => view.grids.find((g) => g.properties.code === f.ids[0])!.properties.community_code))];
    for (const c of communities) await take({ kind: 'merge', community: c });

    expect(kinds(['gap', 'overlap', 'spill', 'invalid_edges', 'under_band', 'over_band']).map((f) => `${f.kind} ${f.ids}`)).toEqual([]);
    expect(view.report.summary.scores.land).toBe(1);
    expect(view.report.summary.scores.size).toBe(1);
    // every proposed grid one piece, and no building cut that was whole before
    for (const g of view.grids) if (g.properties.kind === 'base') expect(g.geometry.type, g.properties.code).toBe('Polygon');
    const straddling = (r: typeof view.report) => new Set(r.findings.filter((f) => f.kind === 'straddling_building').map((f) => f.ids[0]));
    for (const id of straddling(view.report)) expect(straddling(district.report).has(id), `building ${id} cut`).toBe(true);
    console.log(`proposals on the demo: ${timings.join(', ')}`);
  });
});
