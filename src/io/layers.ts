// Map a file's own field names onto the canonical ones (DESIGN "Canonical fields").
// A file that already uses the canonical names needs no mapping.
import type { Feature } from 'geojson';
import type { HouseholdColumns } from '../checks/engine';
import type { CsvTable } from './csv';

export type LayerName = 'boundaries' | 'grids' | 'buildings' | 'households';

/** canonical field → the file's field, per layer */
export type FieldMapping = Partial<Record<LayerName, Record<string, string>>>;

export const CANONICAL_FIELDS: Record<LayerName, string[]> = {
  boundaries: ['code', 'name', 'level', 'parent_code', 'band_min', 'band_max'],
  grids: ['code', 'name', 'kind', 'community_code', 'dedicated_type', 'band_min', 'band_max', 'level', 'parent_code'],
  buildings: ['id', 'address', 'levels', 'residential'],
  households: ['id', 'building_id', 'unit', 'room', 'residents', 'lon', 'lat'],
};

/** Renames mapped properties to their canonical names (others are kept as they are). */
export function mapFeatures<F extends Feature>(features: F[], mapping: Record<string, string> | undefined): F[] {
  if (!mapping || Object.keys(mapping).length === 0) return features;
  return features.map((f) => {
    const props: Record<string, unknown> = { ...(f.properties ?? {}) };
    for (const [canonical, source] of Object.entries(mapping)) props[canonical] = f.properties?.[source];
    return { ...f, properties: props };
  });
}

const num = (v: unknown) => (v === undefined || v === null || v === '' ? NaN : Number(v));

/** Households from point features (GeoJSON, FlatGeobuf). */
export function householdsFromFeatures(features: Feature[], mapping?: Record<string, string>): HouseholdColumns {
  const fs = mapFeatures(features, mapping);
  const positions = new Float64Array(fs.length * 2);
  fs.forEach((f, i) => {
    const g = f.geometry;
    const c = g && g.type === 'Point' ? g.coordinates : null;
    positions[2 * i] = c ? c[0] : num(f.properties?.lon);
    positions[2 * i + 1] = c ? c[1] : num(f.properties?.lat);
  });
  return {
    ids: fs.map((f) => str(f.properties?.id)),
    buildingIds: fs.map((f) => str(f.properties?.building_id)),
    residents: fs.map((f) => residentsOf(f.properties?.residents)),
    positions,
  };
}

/** Households from a CSV roster: building id, unit, room, residents; lon/lat when it has points. */
export function householdsFromCsv(t: CsvTable, mapping?: Record<string, string>): HouseholdColumns {
  const col = (canonical: string) => mapping?.[canonical] ?? canonical;
  const n = t.rows.length;
  const positions = new Float64Array(n * 2);
  const lon = col('lon'), lat = col('lat');
  t.rows.forEach((r, i) => {
    positions[2 * i] = num(r[lon]);
    positions[2 * i + 1] = num(r[lat]);
  });
  return {
    ids: t.rows.map((r) => str(r[col('id')])),
    buildingIds: t.rows.map((r) => str(r[col('building_id')])),
    residents: t.rows.map((r) => residentsOf(r[col('residents')])),
    positions,
  };
}

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v).trim();
}

function residentsOf(v: unknown): number {
  const n = num(v);
  return Number.isFinite(n) ? n : -1;
}
