// Search across the loaded district: street and community names and codes, grid code or
// name, building address, household id, case id or address. Exact matches first, then
// prefixes, then substrings.
import type { District } from '../domain/district';

export type SearchKind = 'boundary' | 'grid' | 'building' | 'household' | 'case';

export interface SearchHit {
  kind: SearchKind;
  index: number;
  label: string;
  detail: string;
  rank: number;
}

export function searchDistrict(d: District, query: string, limit = 12): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hits: SearchHit[] = [];
  const consider = (kind: SearchKind, index: number, keys: string[], label: string, detail: string) => {
    let best = Infinity;
    for (const k of keys) {
      const s = k.toLowerCase();
      const r = s === q ? 0 : s.startsWith(q) ? 1 : s.includes(q) ? 2 : Infinity;
      if (r < best) best = r;
    }
    if (best < Infinity) hits.push({ kind, index, label, detail, rank: best });
  };
  d.boundaries.forEach((b, i) => {
    if (b.properties.level !== 'district') consider('boundary', i, [b.properties.code, b.properties.name], b.properties.name, b.properties.code);
  });
  d.grids.forEach((g, i) => consider('grid', i, [g.properties.code, g.properties.name], g.properties.name, g.properties.code));
  const b = d.buildings;
  for (let i = 0; i < b.count; i++) consider('building', i, [b.addresses[i], b.ids[i]], b.addresses[i], b.ids[i]);
  // Households by id only (tens of thousands of rows; ids are what people type), cases by id and address.
  const h = d.households;
  for (let i = 0; i < h.count; i++) {
    if (h.ids[i].toLowerCase().includes(q)) consider('household', i, [h.ids[i]], h.ids[i], h.buildingIds[i]);
  }
  const c = d.cases;
  for (let i = 0; i < c.count; i++) {
    const address = c.addresses[i] ?? '';
    if (c.ids[i].toLowerCase().includes(q) || address.toLowerCase().includes(q)) consider('case', i, [c.ids[i], address], c.ids[i], address || c.categoryNames[c.category[i]]);
  }
  // Equal matches: places before grids, buildings before the cases reported at them.
  const order: Record<SearchKind, number> = { boundary: 0, grid: 1, building: 2, household: 3, case: 4 };
  hits.sort((a, b) => a.rank - b.rank || order[a.kind] - order[b.kind] || a.label.localeCompare(b.label));
  return hits.slice(0, limit);
}
