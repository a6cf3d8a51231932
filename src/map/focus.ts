// Where to fly for a selection.
import { bbox } from '@turf/turf';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import { gridIndex, type Selection } from './state';
import type { BBox } from './MapView';
import { buildingBBox } from '../workspace/buildingTable';

export function selectionBBox(d: District, s: Selection, report: Report): BBox | null {
  switch (s.kind) {
    case 'finding': {
      const g = report.findings[s.index]?.geometry;
      return g ? (bbox(g) as BBox) : null;
    }
    case 'grid': {
      const g = d.grids[gridIndex(d.grids, s.code)];
      return g ? (bbox(g) as BBox) : null;
    }
    case 'boundary': {
      const b = d.boundaries[s.index]; // a workspace may have no boundaries
      return b ? (bbox(b) as BBox) : null;
    }
    case 'building':
      return buildingBBox(d.buildings, s.index);
    case 'household':
    case 'case': {
      const pos = s.kind === 'household' ? d.households.positions : d.cases.positions;
      const x = pos[2 * s.index];
      const y = pos[2 * s.index + 1];
      if (Number.isFinite(x)) return [x, y, x, y];
      // A household known only by building id: fly to its building.
      const b = s.kind === 'household' ? d.households.building[s.index] : -1;
      return b >= 0 ? buildingBBox(d.buildings, b) : null;
    }
  }
}
