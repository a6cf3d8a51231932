// A user's file → canonical features for one role, with what was rejected and why.
// Format by extension: GeoJSON, FlatGeobuf, zipped Shapefile, CSV, XLSX.
import type { Feature, Geometry, Point, Position } from 'geojson';
import { geoJSONFeatures, parseGeoJSON } from '../io/geojson';
import { FileError, failFile } from '../io/fileError';
import { readFlatGeobuf } from '../io/flatgeobuf';
import { readFlatGeobufUrl, type BBox } from '../io/flatgeobufUrl';
import { parseOpen311 } from '../io/open311';
import { readShapefileZip } from '../io/shapefile';
import { decodeTable, parseCsv, type CsvTable } from '../io/csv';
import { readXlsxTable } from '../io/xlsx';
import { convertFeatures, guessCrs, swapLatLon, toLonLat, type ConversionNote, type CrsGuess, type SourceCrs } from '../io/crs';
import { guessFields } from '../io/fieldGuess';
import { CANONICAL_FIELDS, PERSONAL_FIELDS, PERSONAL_PREFIX, isPersonalKey, mapFeatures, normalizeProps, type LayerName } from '../io/layers';
import { looksPersonal, personalColumns } from '../domain/privacy';
import type { HouseholdColumns } from '../checks/engine';
import { MAX_NESTING, withoutDeepValues } from '../io/nesting';
import { featureLabel, inChina, pointProblem, problem, skippedItem, validAreas, type Problem } from '../checks/validate';
import type { Skipped } from '../checks/report';
import type { Note } from '../store/db';

export type FileFormat = 'geojson' | 'open311' | 'flatgeobuf' | 'shapefile' | 'csv' | 'xlsx';

/** A file as read: features (geometry files) or a table (rosters). */
export interface ReadFile {
  name: string;
  format: FileFormat;
  features?: Feature[];
  table?: CsvTable;
  columns: string[];
  /** what reading did (i18n key and values), e.g. a Shapefile's encoding guess */
  notes: Note[];
  crsGuess: CrsGuess;
  /** entries reading already set aside (an Open311 list's unusable requests) */
  rejected?: Skipped[];
}

export function formatOf(name: string): FileFormat | null {
  const n = name.toLowerCase();
  if (n.endsWith('.geojson') || n.endsWith('.json')) return 'geojson';
  if (n.endsWith('.fgb')) return 'flatgeobuf';
  if (n.endsWith('.zip')) return 'shapefile';
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.xlsx')) return 'xlsx';
  return null;
}

/**
 * Reads a file; throws an Error naming the file and what is wrong when it cannot. A zip of
 * several Shapefiles gives one file per layer (a district exported whole comes back whole).
 */
export async function readAnyFile(name: string, bytes: Uint8Array): Promise<ReadFile[]> {
  const format = formatOf(name);
  if (!format) throw new FileError(name, 'unknown_type');
  const fail = (e: unknown): never => failFile(name, e);
  if (format === 'shapefile') {
    const layers = await readShapefileZip(bytes).catch(fail);
    return layers.map((l) => withColumns({
      name: layers.length > 1 ? `${name} › ${l.name}` : name,
      format,
      features: l.features,
      notes: [
        { key: `import.encoding.${l.encodingFrom}`, values: { layer: l.name, encoding: l.encoding } },
        ...(l.reprojected ? [{ key: 'import.reprojected', values: { layer: l.name } }] : []),
      ],
    }));
  }
  if (format === 'geojson') {
    const text = new TextDecoder().decode(bytes);
    // A .json may be an Open311 GeoReport v2 requests list (a case system's export) rather than GeoJSON.
    // Parsed once; text that is no JSON goes to parseGeoJSON, whose error says where it breaks.
    let json: unknown;
    try { json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); } catch { return [withColumns({ name, format, features: parseGeoJSON(text, name), notes: [] })]; }
    const open311 = asOpen311(json, name);
    if (open311) return [withColumns(open311)];
    return [withColumns({ name, format, features: geoJSONFeatures(json, name), notes: [] })];
  }
  if (format === 'flatgeobuf') return [withColumns({ name, format, features: await readFlatGeobuf(bytes).catch(fail), notes: [] })];
  const decoded = format === 'csv' ? decodeTable(bytes) : null;
  const table = decoded
    ? parseCsv(decoded.text)
    : await readXlsxTable(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).catch(fail);
  const notes = decoded && decoded.encoding !== 'utf-8' ? [{ key: 'import.encoding.table', values: { encoding: decoded.encoding.toUpperCase() } }] : [];
  return [withColumns({ name, format, table, notes })];
}

/** An Open311 requests list as a file of case features, with the entries it could not use; null when it is not one. */
function asOpen311(json: unknown, name: string): Omit<ReadFile, 'columns' | 'crsGuess'> | null {
  const looksLike = Array.isArray(json) || (typeof json === 'object' && json !== null && ('service_requests' in json || 'requests' in json));
  if (!looksLike) return null;
  const { cases, skipped } = parseOpen311(json, name);
  return {
    name, format: 'open311', features: cases, notes: [{ key: 'import.open311', values: { n: cases.length, skipped: skipped.length } }],
    rejected: skipped.map((x) => ({ layer: 'cases', id: x.id, code: x.code, params: {}, reason: x.reason })),
  };
}

/** Completes a file as read with its columns and a guess at its coordinate system. */
function withColumns(f: Omit<ReadFile, 'columns' | 'crsGuess'>): ReadFile {
  if (f.table && f.table.fields.length === 0) throw new FileError(f.name, 'no_header');
  if (f.features && f.features.length === 0) throw new FileError(f.name, 'no_features');
  const columns = f.features ? [...new Set(f.features.flatMap((x) => Object.keys(x.properties ?? {})))] : f.table!.fields;
  const sample = f.features ? samplePositions(f.features) : [];
  return { ...f, columns, crsGuess: sample.length ? guessCrs(sample) : { kind: 'unknown' } };
}

/** Above this a URL's file is read by the map's view (when indexed): a megabyte downloads in a blink. */
const URL_LARGE_BYTES = 1 << 20;

/**
 * A FlatGeobuf file from a URL: a large indexed file is read only inside `bbox` (the map's
 * view) through HTTP Range requests; the notes say which, and how many of how many.
 */
export async function readUrl(url: string, bbox: BBox | undefined, signal?: AbortSignal): Promise<ReadFile> {
  const r = await readFlatGeobufUrl(url, { bbox, signal, largeBytes: URL_LARGE_BYTES });
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || url);
  const notes: ReadFile['notes'] = [
    r.mode === 'bbox'
      ? { key: 'import.url.bbox', values: { n: r.features.length, total: r.header.featuresCount, kb: Math.round(r.bytesRead / 1024) } }
      : { key: 'import.url.whole', values: { n: r.features.length, kb: Math.round(r.bytesRead / 1024) } },
    ...r.notes.map((n) => ({ key: `import.url.${n}` })),
  ];
  return { ...withColumns({ name, format: 'flatgeobuf', features: r.features, notes }), columns: r.header.columns };
}

/** The role a file most likely has: households for tables and points, grids for polygons with codes. */
export function guessRole(f: ReadFile): LayerName {
  if (f.format === 'open311' || guessFields('cases', f.columns).service_request_id && guessFields('cases', f.columns).requested_datetime) return 'cases';
  if (f.table) return 'households';
  const types = new Set((f.features ?? []).map((x) => x.geometry?.type));
  if (types.has('Point') || types.has('MultiPoint')) return 'households';
  const m = guessFields('grids', f.columns);
  if (m.code && (m.community_code || m.kind)) return 'grids';
  // Footprints say how tall they are (height, levels, floors, 层数) or what they are (建筑…).
  const b = guessFields('buildings', f.columns);
  if (b.address || b.levels || b.height || f.columns.some((c) => /建筑|楼栋|building/i.test(c))) return 'buildings';
  // Administrative areas carry an administrative code or level; anything else with a code or name is a grid layer.
  const a = guessFields('boundaries', f.columns);
  if (a.level || (a.code && /adcode|xzqdm|xzqhdm|区划/i.test(a.code))) return 'boundaries';
  // names as given (text): String() of a value nested 100,000 deep would overflow the stack
  const names = (f.features ?? []).slice(0, 50).map((x) => x.properties?.[a.name ?? 'name']).map((n) => (typeof n === 'string' || typeof n === 'number' ? String(n) : ''));
  if (names.length && names.every((n) => /(省|市|区|县|旗|街道|镇|乡|社区|村|居委会)$/.test(n))) return 'boundaries';
  return m.code ? 'grids' : 'boundaries';
}

/**
 * How a feature was repaired on import (i18n key import.repairs.<how>): a ring closed or a
 * repeated point dropped, or rings that cross or touch themselves made valid (ST_MakeValid).
 */
export type RepairKind = 'closed_ring' | 'repeated_points' | 'self_intersecting' | 'self_touching' | 'spike' | 'zero_area_ring'
  | 'hole_outside' | 'overlapping_parts' | 'degenerate_part';

export interface Prepared {
  features: Feature[];
  rejected: Skipped[];
  /** features that were changed to be usable, and how */
  repaired: { id: string; how: RepairKind }[];
  conversion: ConversionNote;
  /** kept features that lie outside China (every layer alike: said, not refused) */
  outsideChina: number;
}

/**
 * Canonical features for a role: columns renamed by the mapping, coordinates converted from
 * `crs` (a lat/lon file is swapped, and says so), unusable rows rejected with their reason.
 */
export function prepareLayer(f: ReadFile, role: LayerName, mapping: Record<string, string>, crs: SourceCrs): Prepared {
  const prepared = prepareRole(f, role, mapping, crs);
  return { ...prepared, outsideChina: countOutsideChina(prepared.features) };
}

function prepareRole(f: ReadFile, role: LayerName, mapping: Record<string, string>, crs: SourceCrs): Omit<Prepared, 'outsideChina'> {
  // Values nested past any real attribute are taken out first (turning them into text would
  // overflow the stack); their features are set aside below, by position, with the reason.
  const read = f.features ? withoutDeepValues(f.features) : null;
  const deep = new Map([...read?.deep ?? []].map(([i, name]) => [i, problem('too_deep', { name, max: MAX_NESTING })]));
  let features = (read ? mapFeatures(read.features, mapping) : rowsToPoints(f.table!, mapping, role === 'cases' ? 'long' : 'lon'))
    .map((x) => ({ ...x, properties: normalizeProps(role, withoutSourceOf(PERSONAL_FIELDS, mapping, x.properties ?? {})) }));
  features = markPersonal(features, mapping);
  let conversion: ConversionNote = { kind: 'none', features: 0 };
  if (f.crsGuess.kind === 'latlon' && (crs.kind === 'wgs84' || crs.kind === 'cgcs2000')) ({ features, note: conversion } = swapLatLon(features));
  else ({ features, note: conversion } = convertFeatures(features, crs));
  if (role === 'cases') return prepareCases(f, features, conversion, deep);
  if (role === 'households') {
    const rejected: Skipped[] = [];
    // Rows the CSV reader could not split cleanly (too many or too few cells): not guessed at.
    const malformed = new Map((f.table?.errors ?? []).map((e) => [e.row - 1, e]));
    const kept = features.filter((h, i) => {
      const id = featureLabel(h, 'id', i);
      const bad = malformed.get(i);
      const tooDeep = deep.get(i);
      if (tooDeep) { rejected.push(skippedItem('households', id, tooDeep)); return false; }
      if (bad) {
        rejected.push(skippedItem('households', id, bad.unclosed
          ? problem('unclosed_quote', { from: bad.unclosed[0], to: bad.unclosed[1] })
          : problem('malformed_row', { row: i + 2, message: bad.message })));
        return false;
      }
      if (h.properties?.id === undefined || h.properties?.id === '') { rejected.push(skippedItem('households', id, problem('missing_property', { name: 'id' }))); return false; }
      const c = (h.geometry as Point | null)?.coordinates;
      const wrong = c ? pointProblem(c[0], c[1]) : null;
      if (wrong) { rejected.push(skippedItem('households', id, wrong)); return false; }
      return true;
    });
    return { features: kept, rejected, repaired: [], conversion };
  }
  const idKey = role === 'buildings' ? 'id' : 'code';
  const repaired: Prepared['repaired'] = [];
  features = features.map((x, i) => {
    const fixed = repairRings(x.geometry);
    if (!fixed) return x;
    repaired.push({ id: featureLabel(x, idKey, i), how: fixed.how });
    return { ...x, geometry: fixed.geometry };
  });
  const { kept, skipped, repaired: madeValid } = validAreas(role, features as never, idKey, { unique: role !== 'grids', refused: deep });
  const keptIds = new Set(kept.map((x) => featureLabel(x, idKey, -1)));
  repaired.push(...madeValid.map((r) => ({ id: r.id, how: r.code as RepairKind })));
  return { features: kept, rejected: skipped, repaired: repaired.filter((r) => keptIds.has(r.id)), conversion };
}

/** A roster table made ready for the checks: the engine's columns of the rows kept, with what prepareLayer would say. */
export interface PreparedHouseholds {
  households: HouseholdColumns;
  rejected: Skipped[];
  conversion: ConversionNote;
  outsideChina: number;
  /** the columns markPersonal would keep under personal: names */
  personal: string[];
  /** rows read (kept and rejected) */
  rows: number;
}

/** A cell has at least this many ASCII digits for looksPersonal to find a phone or ID number in it (a landline: 0 + 2 + 7). */
const PERSONAL_MIN_DIGITS = 10;

/**
 * What prepareLayer(f, 'households', …) then householdsFromFeatures give for a roster table,
 * read from the table's columns with no object per row (a million-row roster for the command
 * line): the same rows rejected for the same reasons in the same order, the same ids, building
 * ids, residents and positions (a row without a usable point keeps its lon/lat cells as
 * numbers, NaN when blank), the same conversion, count outside China and personal columns.
 */
export function prepareHouseholdTable(f: ReadFile, mapping: Record<string, string>, crs: SourceCrs): PreparedHouseholds {
  const t = f.table;
  if (!t) throw new Error('prepareHouseholdTable: not a table');
  const n = t.length;
  // The row's value under a canonical name, as the feature's properties would have it: its
  // mapped column, else the column of that name; none where a personal field's mapping took that column away.
  const taken = new Set(PERSONAL_FIELDS.filter((k) => mapping[k] && mapping[k] !== k).map((k) => mapping[k]));
  const source = (k: string): string | null => (taken.has(k) ? null : k in mapping ? mapping[k] : k);
  const cells = (k: string) => { const c = source(k); return c === null ? new Array<undefined>(n).fill(undefined) : t.column(c); };
  const numbers = (k: string) => { const c = source(k); return c === null ? null : t.numbers(c); };
  const ids = cells('id');
  const buildings = cells('building_id');
  const residents = numbers('residents');
  // The point is made from the mapped (or named) columns themselves, as rowsToPoints does.
  const col = (k: string) => mapping[k] ?? k;
  const lon = t.numbers(col('lon'));
  const lat = t.numbers(col('lat'));
  const lonProp = source('lon') === col('lon') ? lon : numbers('lon');
  const latProp = source('lat') === col('lat') ? lat : numbers('lat');
  const swap = f.crsGuess.kind === 'latlon' && (crs.kind === 'wgs84' || crs.kind === 'cgcs2000');
  const convert = swap || crs.kind === 'wgs84' || crs.kind === 'cgcs2000' ? null : toLonLat(crs);
  const conversion: ConversionNote = swap ? { kind: 'swapped', features: n }
    : convert ? { kind: crs.kind as Exclude<ConversionNote['kind'], 'none' | 'swapped'>, features: n, epsg: crs.kind === 'epsg' ? crs.code : undefined } : { kind: 'none', features: 0 };
  const malformed = new Map(t.errors.map((e) => [e.row - 1, e]));
  const rejected: Skipped[] = [];
  const keptIds: string[] = [];
  const keptBuildings: string[] = [];
  const keptResidents: number[] = [];
  const positions = new Float64Array(n * 2);
  let kept = 0;
  let outsideChina = 0;
  for (let i = 0; i < n; i++) {
    const raw = ids[i];
    const id = raw === undefined ? undefined : String(raw).trim();
    const label = id !== undefined && id !== '' ? id : `#${i + 1}`;
    const bad = malformed.get(i);
    if (bad) {
      rejected.push(skippedItem('households', label, bad.unclosed
        ? problem('unclosed_quote', { from: bad.unclosed[0], to: bad.unclosed[1] })
        : problem('malformed_row', { row: i + 2, message: bad.message })));
      continue;
    }
    if (id === undefined || id === '') { rejected.push(skippedItem('households', label, problem('missing_property', { name: 'id' }))); continue; }
    let x = lon.values[i], y = lat.values[i];
    const point = lon.blank[i] === 0 && Number.isFinite(x) && Number.isFinite(y);
    if (point) {
      if (swap) [x, y] = [y, x];
      else if (convert) [x, y] = convert(x, y);
      const wrong = pointProblem(x, y);
      if (wrong) { rejected.push(skippedItem('households', label, wrong)); continue; }
      if (!inChina(x, y)) outsideChina++;
    } else {
      // no point: the lon/lat properties as they are (blank: NaN)
      x = !lonProp || lonProp.blank[i] ? NaN : lonProp.values[i];
      y = !latProp || latProp.blank[i] ? NaN : latProp.values[i];
    }
    positions[2 * kept] = x;
    positions[2 * kept + 1] = y;
    keptIds.push(id);
    const b = buildings[i];
    keptBuildings.push(b === undefined ? '' : String(b).trim());
    const r = residents && !residents.blank[i] ? residents.values[i] : NaN;
    keptResidents.push(Number.isFinite(r) ? r : -1);
    kept++;
  }
  return {
    households: { ids: keptIds, buildingIds: keptBuildings, residents: keptResidents, positions: kept === n ? positions : positions.slice(0, 2 * kept) },
    rejected, conversion, outsideChina, personal: personalTableColumns(t, mapping, taken), rows: n,
  };
}

/** markPersonal's columns for a table: by name, or a cell with a phone or ID number in it (rows too long: their extra cells). */
function personalTableColumns(t: CsvTable, mapping: Record<string, string>, taken: Set<string>): string[] {
  if (t.length === 0) return []; // no feature, no column
  const mapped = new Set(Object.keys(mapping).filter((k) => mapping[k]));
  const keys = [...new Set([...t.fields.filter((c) => !taken.has(c)), ...Object.keys(mapping), 'unit', 'residents'])];
  let extra = false;
  for (let r = 0; r < t.length && !extra; r++) extra = t.cellCount(r) > t.fields.length;
  if (extra) keys.push('__parsed_extra');
  const candidates = keys.filter((c) => !isPersonalKey(c) && !mapped.has(c) && !CANONICAL_KEYS.has(c));
  return candidates.filter((c) => {
    if (personalColumns([], [c]).length) return true; // by its name
    if (c !== '__parsed_extra') return t.some(c, looksPersonal, PERSONAL_MIN_DIGITS);
    for (let r = 0; r < t.length; r++) { const x = t.extra(r); if (x && looksPersonal(x)) return true; }
    return false;
  });
}

/**
 * Cases go through the Open311 reader's checks (id, status, reported time, location), so a
 * CSV export and a feed are held to the same rules; the location is the converted point.
 */
function prepareCases(f: ReadFile, features: Feature[], conversion: ConversionNote, refused: Map<number, Problem>): Omit<Prepared, 'outsideChina'> {
  const early = [...refused].map(([i, p]) => skippedItem('cases', featureLabel(features[i], 'service_request_id', i), p));
  const entries = features.filter((_, i) => !refused.has(i)).map((x) => {
    const c = x.geometry?.type === 'Point' ? x.geometry.coordinates : null;
    return { ...x.properties, ...(c ? { long: c[0], lat: c[1] } : {}) };
  });
  const { cases, skipped } = parseOpen311(entries, f.name);
  const rejected = [...(f.rejected ?? []), ...early, ...skipped.map((x): Skipped => ({ layer: 'cases', id: x.id, code: x.code, params: {}, reason: x.reason }))];
  return { features: cases, rejected, repaired: [], conversion };
}

/**
 * Mends what drawing tools commonly leave: a ring whose last point is not its first (closed),
 * and the same point twice in a row (dropped). Returns null when nothing needed mending.
 */
function repairRings(g: Geometry | null): { geometry: Geometry; how: RepairKind } | null {
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return null;
  const seen: { how: RepairKind | null } = { how: null };
  const fixRing = (ring: Position[]): Position[] => {
    if (!Array.isArray(ring) || ring.length === 0 || !ring.every((p) => Array.isArray(p))) return ring;
    let out = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
    if (out.length !== ring.length) seen.how ??= 'repeated_points';
    const a = out[0], b = out[out.length - 1];
    if (out.length >= 3 && (a[0] !== b[0] || a[1] !== b[1])) { out = [...out, a]; seen.how = 'closed_ring'; }
    return out;
  };
  const geometry: Geometry = g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(fixRing) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(fixRing)) };
  return seen.how ? { geometry, how: seen.how } : null;
}

/**
 * Columns holding personal data that no canonical field took (户主姓名 mapped, but also 身份证号,
 * 联系人, or a remarks column with a phone number in it) are kept only under a personal: name,
 * so the inspector masks them and every export leaves them out unless included.
 */
function markPersonal<F extends Feature>(features: F[], mapping: Record<string, string>): F[] {
  const mapped = new Set(Object.keys(mapping).filter((k) => mapping[k]));
  const columns = [...new Set(features.flatMap((x) => Object.keys(x.properties ?? {})))].filter((c) => !isPersonalKey(c) && !mapped.has(c) && !CANONICAL_KEYS.has(c));
  const personal = personalColumns(features.map((x) => x.properties ?? {}), columns);
  if (personal.length === 0) return features;
  return features.map((x) => {
    const p: Record<string, unknown> = { ...x.properties };
    for (const c of personal) {
      if (!(c in p)) continue;
      if (p[c] !== '' && p[c] !== null && p[c] !== undefined) p[`${PERSONAL_PREFIX}${c}`] = p[c];
      delete p[c];
    }
    return { ...x, properties: p };
  });
}

const CANONICAL_KEYS = new Set(Object.values(CANONICAL_FIELDS).flat());

/** Personal data lives only under its canonical name (户主 → head_name), so exports can leave it out. */
function withoutSourceOf(fields: readonly string[], mapping: Record<string, string>, p: Record<string, unknown>) {
  const out = { ...p };
  for (const k of fields) if (mapping[k] && mapping[k] !== k) delete out[mapping[k]];
  return out;
}

/** Roster rows → point features (no geometry when the row has no lon/lat). */
function rowsToPoints(t: CsvTable, mapping: Record<string, string>, lonKey: 'lon' | 'long'): Feature[] {
  const col = (k: string) => mapping[k] ?? k;
  return t.rows.map((r) => {
    const props: Record<string, unknown> = { ...r };
    for (const k of Object.keys(mapping)) props[k] = r[col(k)];
    const x = Number(r[col(lonKey)]);
    const y = Number(r[col('lat')]);
    const has = r[col(lonKey)] !== undefined && r[col(lonKey)] !== '' && Number.isFinite(x) && Number.isFinite(y);
    return { type: 'Feature', properties: props, geometry: has ? { type: 'Point', coordinates: [x, y] } : null } as Feature;
  });
}

/** Features whose first position lies outside China's box (households without a point are not counted). */
function countOutsideChina(fs: Feature[]): number {
  let n = 0;
  for (const f of fs) {
    const g = f.geometry as { coordinates?: unknown } | null;
    const p = g && 'coordinates' in g ? firstPosition(g.coordinates) : null;
    if (p && !inChina(p[0], p[1])) n++;
  }
  return n;
}

/** The first position of a geometry's coordinates, whatever its nesting; null for a malformed one. */
function firstPosition(c: unknown): number[] | null {
  let x = c;
  while (Array.isArray(x) && Array.isArray(x[0])) x = x[0];
  return Array.isArray(x) && typeof x[0] === 'number' && typeof x[1] === 'number' ? (x as number[]) : null;
}

function samplePositions(fs: Feature[]): number[][] {
  const out: number[][] = [];
  // A malformed geometry gives none here (its own check names it later).
  for (const f of fs.slice(0, 50)) {
    const g = f.geometry as { coordinates?: unknown } | null;
    const p = g && 'coordinates' in g ? firstPosition(g.coordinates) : null;
    if (p) out.push(p);
  }
  return out;
}
