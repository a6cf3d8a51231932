// Map a file's own field names onto the canonical ones (DESIGN "Canonical fields").
// A file that already uses the canonical names needs no mapping.
import type { Feature } from 'geojson';
import type { HouseholdColumns } from '../checks/engine';
import type { CsvTable } from './csv';

export type LayerName = 'boundaries' | 'grids' | 'buildings' | 'households' | 'cases';

/** canonical field → the file's field, per layer */
export type FieldMapping = Partial<Record<LayerName, Record<string, string>>>;

export const CANONICAL_FIELDS: Record<LayerName, string[]> = {
  boundaries: ['code', 'name', 'level', 'parent_code', 'band_min', 'band_max'],
  grids: ['code', 'name', 'kind', 'community_code', 'dedicated_type', 'band_min', 'band_max', 'level', 'parent_code'],
  buildings: ['id', 'address', 'levels', 'height', 'residential'],
  households: ['id', 'building_id', 'unit', 'room', 'residents', 'lon', 'lat', 'head_name', 'phone', 'id_card', 'contact'],
  // Open311 GeoReport v2 names, plus the closed loop a case system records
  cases: [
    'service_request_id', 'status', 'service_name', 'service_code', 'requested_datetime', 'expected_datetime',
    'updated_datetime', 'closed_datetime', 'dispatch_level', 'satisfaction', 'address', 'description', 'long', 'lat',
    'dispatched_datetime', 'handled_datetime', 'supervised_datetime', 'visited_datetime',
  ],
};

/** The fields a layer cannot be used without (its id); the rest are optional. */
export const REQUIRED_FIELDS: Partial<Record<LayerName, string[]>> = {
  grids: ['code'], boundaries: ['code'], buildings: ['id'], households: ['id'], cases: ['service_request_id', 'requested_datetime'],
};

/** Personal fields of a roster: kept, shown masked in the inspector, never exported unless asked. */
export const PERSONAL_FIELDS = ['head_name', 'phone', 'id_card', 'contact'] as const;

/** Any other column found to hold personal data is kept under this prefix (and treated as above). */
export const PERSONAL_PREFIX = 'personal:';

export function isPersonalKey(k: string): boolean {
  return (PERSONAL_FIELDS as readonly string[]).includes(k) || k.startsWith(PERSONAL_PREFIX);
}

/** Properties without anything personal (for every export unless the user includes it). */
export function withoutPersonal<T extends Record<string, unknown>>(p: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (!isPersonalKey(k)) out[k] = v;
  return out as T;
}

const DEDICATED = /^(dedicated|专属|专属网格|zs)/i;
const YES = /^(1|true|yes|y|t|是|住宅)$/i;

/**
 * Canonical value types after mapping: files give numbers as text ("300"), kinds in Chinese
 * (专属网格), booleans as 是/否. Codes and ids are always text.
 */
export function normalizeProps(role: LayerName, p: Record<string, unknown>): Record<string, unknown> {
  const out = { ...p };
  const text = (k: string) => { if (out[k] !== undefined && out[k] !== null) out[k] = String(out[k]).trim(); };
  const count = (k: string, empty: number | null) => { const n = num(out[k]); out[k] = Number.isFinite(n) ? n : empty; };
  if (role === 'grids') {
    ['code', 'name', 'community_code', 'parent_code'].forEach(text);
    out.kind = DEDICATED.test(String(out.kind ?? '').trim()) ? 'dedicated' : 'base';
    out.dedicated_type = out.kind === 'dedicated' ? String(out.dedicated_type ?? '').trim() : '';
    if (!out.community_code && typeof out.code === 'string') out.community_code = out.code.slice(0, 12);
    count('band_min', null);
    count('band_max', null);
  } else if (role === 'boundaries') {
    ['code', 'name', 'parent_code'].forEach(text);
    const code = String(out.code ?? '');
    const level = String(out.level ?? '').trim();
    out.level = ['district', 'street', 'community'].includes(level) ? level
      : code.length <= 6 ? 'district' : code.length <= 9 ? 'street' : 'community';
    if (!out.parent_code) out.parent_code = out.level === 'street' ? code.slice(0, 6) : out.level === 'community' ? code.slice(0, 9) : '';
  } else if (role === 'buildings') {
    ['id', 'address'].forEach(text);
    count('levels', 0);
    // Footprints often give a height in metres, not floors: about 3 m a floor.
    const height = num(out.height);
    if (!out.levels && Number.isFinite(height) && height > 0) out.levels = Math.max(1, Math.round(height / 3));
    out.residential = out.residential === undefined || out.residential === null || out.residential === '' ? true
      : typeof out.residential === 'boolean' ? out.residential : YES.test(String(out.residential).trim());
  } else if (role === 'cases') {
    // Case systems write statuses in Chinese: 已办结 / 已结案 are closed, anything else open.
    const st = String(out.status ?? '').trim();
    if (st && !/^(open|closed)$/i.test(st)) out.status = /(办结|结案|完成|关闭)/.test(st) ? 'closed' : 'open';
  } else {
    ['id', 'building_id', 'room', 'head_name', 'phone', 'id_card', 'contact'].forEach(text);
    count('unit', 0);
    count('residents', null);
  }
  return out;
}

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
