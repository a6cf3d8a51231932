// Household bands (DESIGN rule 5): a grid's own band, else its community's, else this
// default; and as the planner sees them: the base grids outside their band, furthest first,
// and a community's ideal grid size (households ÷ base grids) with the largest deviation.
import type { Report } from '../checks/report';
import type { District } from './district';

export const DEFAULT_BAND: [number, number] = [150, 500];

export interface OutOfBand {
  code: string;
  name: string;
  households: number;
  band: [number, number];
  status: 'under' | 'over';
  /** how far outside, as a share of the band's nearer end */
  distance: number;
}

export function bandDeviations(report: Report): OutOfBand[] {
  const out: OutOfBand[] = [];
  for (const g of report.grids) {
    if (!g.band || (g.band_status !== 'under' && g.band_status !== 'over')) continue;
    const edge = g.band_status === 'under' ? g.band[0] : g.band[1];
    out.push({ code: g.code, name: g.name, households: g.households, band: g.band, status: g.band_status, distance: Math.abs(g.households - edge) / Math.max(1, edge) });
  }
  return out.sort((a, b) => b.distance - a.distance || (a.code < b.code ? -1 : 1));
}

export function communitySize(report: Report, d: District, community: string) {
  const codes = new Set(d.grids.filter((g) => g.properties.community_code === community && g.properties.kind === 'base').map((g) => g.properties.code));
  const base = report.grids.filter((g) => codes.has(g.code));
  if (base.length === 0) return null;
  const households = base.reduce((s, g) => s + g.households, 0);
  const ideal = households / base.length;
  const dev = ideal > 0 ? Math.max(...base.map((g) => Math.abs(g.households - ideal) / ideal)) : 0;
  const name = d.boundaries.find((b) => b.properties.code === community)?.properties.name ?? community;
  return { name, households, grids: base.length, ideal: Math.round(ideal), dev: `${Math.round(dev * 100)}%` };
}
