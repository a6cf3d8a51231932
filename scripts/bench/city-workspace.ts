// The benchmark city (city.ts) with its households and cases as a workspace file (.gridscope,
// the format the data panel exports and restores: workspace.json and one columns file per
// layer), so the browser benchmark and test bring a city into real IndexedDB the way a user
// would: by dropping the file on the data panel.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { Feature } from 'geojson';
import { geoColumnsToJSON, toGeoColumns } from '../../src/store/geoColumns';
import { caseColumnsToJSON } from '../../src/workspace/caseTable';
import { caseColumns } from '../../src/workspace/caseTable';
import { CITY, makeCity, type CityOptions } from './city';
import { makeCases } from './cases';

export interface CityWorkspace {
  name: string;
  counts: { grids: number; buildings: number; households: number; cases: number };
}

/** Writes the city as a .gridscope file; `cases` how many cases it holds. */
export function writeCityWorkspace(path: string, o: { city?: CityOptions; cases?: number; name?: string } = {}): CityWorkspace {
  const city = makeCity(o.city ?? CITY);
  const h = city.households;
  // A roster as rosters come: building, unit (stairwell), room (floor and door), residents.
  const perBuilding = new Map<string, number>();
  const households: Feature[] = h.ids.map((id, i) => {
    const k = perBuilding.get(h.buildingIds[i]) ?? 0;
    perBuilding.set(h.buildingIds[i], k + 1);
    const unit = 1 + (k % 2), floor = 1 + Math.floor(k / 4), door = 1 + (Math.floor(k / 2) % 2);
    return {
      type: 'Feature',
      properties: { id, building_id: h.buildingIds[i], unit, room: `${floor}0${door}`, residents: h.residents[i] },
      geometry: { type: 'Point', coordinates: [h.positions[2 * i], h.positions[2 * i + 1]] },
    };
  });
  const cases = caseColumns(makeCases(city.grids, o.cases ?? 400_000));
  const name = o.name ?? '基准城市';
  const files: Record<string, Uint8Array> = {};
  const layers: { role: string; file: string; count: number; source: { file: string; notes: [] } }[] = [];
  const add = (role: string, features: Feature[]) => {
    const file = `${role}.geo.json`;
    files[file] = strToU8(geoColumnsToJSON(toGeoColumns(features)));
    layers.push({ role, file, count: features.length, source: { file: `${role}.fgb`, notes: [] } });
  };
  add('boundaries', city.boundaries);
  add('grids', city.grids);
  add('buildings', city.buildings);
  add('households', households);
  files['cases.columns.json'] = strToU8(caseColumnsToJSON(cases));
  layers.push({ role: 'cases', file: 'cases.columns.json', count: cases.count, source: { file: 'cases.json', notes: [] } });
  const head = { format: 'gridscope-workspace', version: 1, name, mappings: {}, layers, personal: false };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, zipSync({ 'workspace.json': strToU8(JSON.stringify(head, null, 1)), ...files }, { level: 1 }));
  return { name, counts: { grids: city.grids.length, buildings: city.buildings.length, households: households.length, cases: cases.count } };
}
