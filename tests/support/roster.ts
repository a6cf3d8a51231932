// A small district whose roster names people (户主, phone): 2×2 grids, 8 households, for the
// server tests of personal data (masked for everyone, revealed per record to an auditor).
import type { Feature } from 'geojson';
import { writeArchive } from '../../src/store/archive';
import { toGeoColumns } from '../../src/store/geoColumns';
import { storedCases } from '../../src/store/db';
import { caseColumns } from '../../src/workspace/caseTable';
import type { GridFeature } from '../../src/domain/types';

/** The households' unmasked heads and phones, by id (what must never leave the server masked, nor enter the log). */
export const ROSTER_PEOPLE = Array.from({ length: 8 }, (_, i) => ({ id: `H${i}`, head_name: `欧阳娜${'娜丰'[i % 2]}`, phone: `1381234${String(1000 + i)}` }));

export function rosterDistrict(): Uint8Array {
  const sq = (x: number, y: number): GridFeature['geometry'] => ({ type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] });
  const grids = [0, 1, 2, 3].map((i) => ({
    type: 'Feature', geometry: sq(119 + (i % 2) * 0.01, 36.7 + Math.floor(i / 2) * 0.01),
    properties: { code: `370705001001${String(i + 1).padStart(3, '0')}`, name: `网格${i + 1}`, kind: 'base', community_code: '370705001001', dedicated_type: '', band_min: null, band_max: null },
  })) as Feature[];
  const households = ROSTER_PEOPLE.map((p, i) => ({
    type: 'Feature', geometry: { type: 'Point', coordinates: [119.002 + (i % 4) * 0.005, 36.702 + Math.floor(i / 4) * 0.01] },
    properties: { id: p.id, building_id: '', residents: 3, head_name: p.head_name, phone: p.phone },
  })) as Feature[];
  const source = { file: 'roster', notes: [] };
  return writeArchive({
    name: '名册区', mappings: {}, edits: [], editsDone: 0, versions: [], includePersonal: true,
    layers: [
      { role: 'grids', geo: toGeoColumns(grids), count: 4, source },
      { role: 'households', geo: toGeoColumns(households), count: 8, source },
      { role: 'cases', cases: storedCases(caseColumns([])), count: 0, source },
    ],
  });
}
