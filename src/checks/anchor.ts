// One representative point per finding, for a table row or a label: a point inside a gap or
// overlap (of its largest part), the middle of an invalid edge, the point itself.
import type { Geometry, Position } from 'geojson';
import { interiorPoint } from './faces';
import { flatRings } from './land';
import { geodesicArea } from './area';

export function findingAnchor(g: Geometry | null): [number, number] | null {
  if (!g) return null;
  switch (g.type) {
    case 'Point': return [g.coordinates[0], g.coordinates[1]];
    case 'Polygon':
    case 'MultiPolygon': {
      const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      let best: Position[][] = parts[0];
      let most = -1;
      for (const p of parts) {
        const a = geodesicArea({ type: 'Polygon', coordinates: p });
        if (a > most) { most = a; best = p; }
      }
      return interiorPoint(flatRings({ type: 'Polygon', coordinates: best }));
    }
    case 'LineString':
    case 'MultiLineString': {
      const line = g.type === 'LineString' ? g.coordinates : g.coordinates[0];
      if (!line || line.length < 2) return null;
      return [(line[0][0] + line[1][0]) / 2, (line[0][1] + line[1][1]) / 2];
    }
    default: return null;
  }
}
