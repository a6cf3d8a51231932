// How two reports of the same district differ (the page's engine against PostGIS's): findings
// by kind and ids with their measures, the per-grid rows, the summary. Empty when they agree.
import type { Report } from '../../src/checks/report';

/** Differences between the reports: findings by kind and ids, their measures, the per-grid rows, the summary. */
export function differences(a: Report, b: Report): string[] {
  const out: string[] = [];
  const key = (f: Report['findings'][number]) => `${f.kind} ${f.ids.join(',')}`;
  // one key may name several findings (two gaps along the same grids): matched by size
  const group = (r: Report) => {
    const m = new Map<string, Report['findings']>();
    for (const f of r.findings) { const k = key(f); if (!m.has(k)) m.set(k, []); m.get(k)!.push(f); }
    for (const l of m.values()) l.sort((x, y) => (x.measure.area_m2 ?? 0) - (y.measure.area_m2 ?? 0) || (x.measure.share ?? 0) - (y.measure.share ?? 0) || (x.measure.distance_m ?? 0) - (y.measure.distance_m ?? 0));
    return m;
  };
  const fa = group(a), fb = group(b);
  for (const k of fa.keys()) if (!fb.has(k)) out.push(`only in the page's report: ${k}`);
  for (const k of fb.keys()) if (!fa.has(k)) out.push(`only in PostGIS's report: ${k}`);
  for (const [k, la] of fa) {
    const lb = fb.get(k);
    if (!lb) continue;
    if (la.length !== lb.length) { out.push(`${k}: ${la.length} in the page's report, ${lb.length} in PostGIS's`); continue; }
    la.forEach((f, i) => {
      const m = f.measure, n = lb[i].measure;
      // areas: the page's pieces (straight edges on an equal-area map) and PostGIS's
      // (geodesic edges) differ by a few parts per million; shares and distances by rounding
      const near = (x: number | undefined, y: number | undefined, tol: number) => (x === undefined) === (y === undefined) && (x === undefined || Math.abs(x - y!) <= tol);
      if (!near(m.area_m2, n.area_m2, Math.max(0.05, 1e-5 * (m.area_m2 ?? 0))) || !near(m.share, n.share, 2e-4) || !near(m.distance_m, n.distance_m, 0.2)
        || m.count !== n.count || JSON.stringify(m.band) !== JSON.stringify(n.band)) out.push(`${k}: ${JSON.stringify(m)} ≠ ${JSON.stringify(n)}`);
    });
  }
  a.grids.forEach((g, i) => { if (JSON.stringify(g) !== JSON.stringify(b.grids[i])) out.push(`grid ${JSON.stringify(g)} ≠ ${JSON.stringify(b.grids[i])}`); });
  if (a.grids.length !== b.grids.length) out.push(`${a.grids.length} grids ≠ ${b.grids.length}`);
  const s = a.summary, t = b.summary;
  if (JSON.stringify(s.counts) !== JSON.stringify(t.counts)) out.push(`counts ${JSON.stringify(s.counts)} ≠ ${JSON.stringify(t.counts)}`);
  if (JSON.stringify(s.checks) !== JSON.stringify(t.checks)) out.push(`checks ${JSON.stringify(s.checks)} ≠ ${JSON.stringify(t.checks)}`);
  const { land_m2: la, ...ta } = s.totals, { land_m2: lb, ...tb } = t.totals;
  if (JSON.stringify(ta) !== JSON.stringify(tb) || (la === null) !== (lb === null) || (la !== null && Math.abs(la - lb!) > 1e-6 * la + 0.2)) out.push(`totals ${JSON.stringify(s.totals)} ≠ ${JSON.stringify(t.totals)}`);
  for (const [rule, x] of Object.entries(s.scores)) {
    const y = t.scores[rule as keyof typeof t.scores];
    if ((x === null) !== (y === null) || (x !== null && Math.abs(x - y!) > 2e-6)) out.push(`score ${rule} ${x} ≠ ${y}`);
  }
  if (s.slivers.count !== t.slivers.count) out.push(`slivers ${JSON.stringify(s.slivers)} ≠ ${JSON.stringify(t.slivers)}`);
  return out;
}

