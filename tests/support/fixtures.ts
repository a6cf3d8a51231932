// Reads a fixture FeatureCollection whose features carry a "layer" property
// (boundaries, grids, buildings, households) into the engine's input.
import { readFileSync } from 'node:fs';
import type { CheckInput } from '../../src/checks/engine';

export function readLayeredFixture(path: string): CheckInput {
  const fc = JSON.parse(readFileSync(path, 'utf8'));
  const of = (layer: string) => fc.features.filter((f: any) => f.properties.layer === layer);
  const hh = of('households');
  return {
    boundaries: of('boundaries'),
    grids: of('grids'),
    buildings: of('buildings'),
    households: {
      ids: hh.map((f: any) => f.properties.id),
      buildingIds: hh.map((f: any) => f.properties.building_id),
      residents: hh.map((f: any) => (f.properties.residents ?? -1)),
      positions: Float64Array.from(hh.flatMap((f: any) => (f.geometry ? f.geometry.coordinates.slice(0, 2) : [NaN, NaN]))),
    },
  };
}
