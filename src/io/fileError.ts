// What is wrong with a file, as a code and its values: the CLI prints the English text, the
// page says it in the interface's language (messages "fileErrors.<code>"), naming the file
// once. Errors cross from the import worker to the page as plain Errors (Comlink keeps only
// name and message), so the code travels in the message and is read back by fileErrorOf.

export type FileErrorCode =
  | 'unknown_type' | 'not_json' | 'not_geojson' | 'no_header' | 'no_features' | 'fgb_cut_short' | 'fgb_cut_short_header' | 'fgb_cut_short_bytes' | 'fgb_unreadable'
  | 'not_xlsx' | 'not_zip' | 'zip_too_many' | 'zip_too_large' | 'zip_bomb' | 'zip_no_shp' | 'prj_unreadable' | 'shp_damaged' | 'shp_too_short' | 'shp_length' | 'dbf_cut_short' | 'shp_dbf_mismatch'
  | 'unreadable'
  | WorkspaceErrorCode;

/** What can be wrong with a workspace file or a workspace as stored (part: the file inside it, or the layer). */
export type WorkspaceErrorCode =
  | 'ws_not_zip' | 'ws_no_head' | 'ws_head_json' | 'ws_head_format' | 'ws_version' | 'ws_layer_unknown' | 'ws_layer_twice' | 'ws_part_missing'
  | 'ws_part_json' | 'ws_count' | 'ws_col_missing' | 'ws_col_length' | 'ws_col_value' | 'ws_ends_backwards' | 'ws_ends_past' | 'ws_ends_short'
  | 'ws_kind_shape' | 'ws_kind_role' | 'ws_no_geometry' | 'ws_code_text' | 'ws_grid_kind' | 'ws_boundary_level' | 'ws_case_index' | 'ws_edit_seq' | 'ws_edit_op'
  | 'ws_edit_grid' | 'ws_edits_done' | 'ws_version_bad' | 'ws_mappings';

type Params = Record<string, string | number>;

const EN: Record<FileErrorCode, (p: Params) => string> = {
  unknown_type: () => 'unknown file type (expected .geojson, .json, .fgb, .zip, .csv or .xlsx)',
  not_json: (p) => `not valid JSON: it breaks off or goes wrong at byte ${p.byte} of ${p.size}`,
  not_geojson: () => 'not GeoJSON (expected a FeatureCollection, a Feature or a geometry)',
  no_header: () => 'no header row (an empty table)',
  no_features: () => 'holds no features',
  fgb_cut_short: (p) => `cut short or damaged: the header says ${p.declared} features, ${p.read} could be read`,
  fgb_cut_short_header: (p) => `cut short: its header says ${p.size} bytes, the file has only ${p.bytes}`,
  fgb_cut_short_bytes: (p) => `cut short: its last feature needs ${p.expected} bytes, the file has ${p.bytes}`,
  fgb_unreadable: (p) => `not a readable FlatGeobuf file (${p.detail})`,
  not_xlsx: () => 'not a readable XLSX workbook',
  not_zip: () => 'not a readable zip archive',
  zip_too_many: (p) => `refused: more than ${p.n} files in the zip`,
  zip_too_large: (p) => `refused: it would unpack to more than ${p.mb} MB`,
  zip_bomb: (p) => `refused: ${p.entry} would unpack to ${p.ratio} times its packed size (a zip bomb, not data)`,
  zip_no_shp: () => 'the zip holds no .shp file',
  prj_unreadable: (p) => `${p.part}: a coordinate system proj4 cannot read; convert the file to lon/lat (EPSG:4490 or 4326) first`,
  shp_damaged: (p) => `${p.part}: cannot be read, the file may be cut short or damaged`,
  shp_too_short: (p) => `${p.part}: cannot be read, only ${p.bytes} bytes (the header alone is 100)`,
  shp_length: (p) => `${p.part}: cannot be read, the file is cut short or damaged (its header says ${p.stated} bytes, it has ${p.bytes})`,
  dbf_cut_short: (p) => `${p.part}: cannot be read, the file is cut short (${p.records} records stated)`,
  shp_dbf_mismatch: (p) => `${p.shp} has ${p.shapes} shapes but ${p.dbf} has ${p.records} attribute rows: they cannot be paired`,
  unreadable: (p) => `cannot be read (${p.detail})`,
  ws_not_zip: () => `not a GridScope workspace file (not a zip)`,
  ws_no_head: () => `not a GridScope workspace file (no workspace.json)`,
  ws_head_json: () => `workspace.json is not valid JSON`,
  ws_head_format: () => `workspace.json is not a GridScope workspace description`,
  ws_version: (p) => `made by a later GridScope (workspace file version ${p.version}); this one reads versions 1 and 2`,
  ws_layer_unknown: (p) => `layer "${p.role}" is not a layer GridScope knows`,
  ws_layer_twice: (p) => `two layers of ${p.role}: a workspace holds one layer per role`,
  ws_part_missing: (p) => `${p.part} is missing`,
  ws_part_json: (p) => `${p.part} is not valid JSON`,
  ws_count: (p) => `${p.part} holds ${p.n} features, workspace.json says ${p.stated}`,
  ws_col_missing: (p) => `${p.part}: column ${p.column} is missing or not of the type the format says`,
  ws_col_length: (p) => `${p.part}: column ${p.column} holds ${p.n} values, it should hold ${p.expected}`,
  ws_col_value: (p) => `${p.part}: entry ${p.at} of ${p.column} is not of the type the format says`,
  ws_ends_backwards: (p) => `${p.part}: ${p.column} goes backwards at entry ${p.at} (${p.end} after ${p.prev})`,
  ws_ends_past: (p) => `${p.part}: entry ${p.at} of ${p.column} ends at ${p.end}, past the ${p.limit} there are`,
  ws_ends_short: (p) => `${p.part}: ${p.column} ends at ${p.end}, but there are ${p.limit} (cut short or damaged)`,
  ws_kind_shape: (p) => `${p.part}: feature ${p.at} is a ${p.kind}, but its parts, rings and points do not make one`,
  ws_kind_role: (p) => `${p.part}: feature ${p.at} is a ${p.kind}; this layer holds ${p.allowed} only`,
  ws_no_geometry: (p) => `${p.part}: feature ${p.at} has no geometry; this layer holds ${p.allowed} only`,
  ws_code_text: (p) => `${p.part}: the ${p.column} of feature ${p.at} is not text`,
  ws_grid_kind: (p) => `${p.part}: the kind of grid ${p.at} is ${p.value}, not base or dedicated`,
  ws_boundary_level: (p) => `${p.part}: the level of boundary ${p.at} is ${p.value}, not district, street or community`,
  ws_case_index: (p) => `${p.part}: entry ${p.at} of ${p.column} is ${p.value}, it must be a whole number below ${p.limit}`,
  ws_edit_seq: (p) => `${p.part}: edit ${p.at} is numbered ${p.seq}: edits are numbered 1, 2, 3… in order`,
  ws_edit_op: (p) => `${p.part}: edit ${p.seq} is of a kind GridScope does not know (${p.type})`,
  ws_edit_grid: (p) => `${p.part}: edit ${p.seq}: grid ${p.at} is not a grid (a Polygon or MultiPolygon of finite points, with a code)`,
  ws_edits_done: (p) => `${p.part}: ${p.done} edits are said to be applied, of ${p.total}`,
  ws_version_bad: (p) => `${p.part}: version ${p.at} is not a saved version (an id, a name, a time, and grids that are Polygons or MultiPolygons with a code)`,
  ws_mappings: (p) => `${p.part}: the remembered field mappings are not field names by layer`,
};

const MARK = 'FileError:';

export class FileError extends Error {
  constructor(readonly file: string, readonly code: FileErrorCode, readonly params: Params = {}) {
    super(`${file}: ${EN[code](params)}`);
    this.name = 'FileError';
  }

  /** The same error with the code in its message, to survive a postMessage. */
  forTransfer(): Error {
    const e = new Error(`${MARK}${JSON.stringify({ file: this.file, code: this.code, params: this.params })}`);
    e.name = 'FileError';
    return e;
  }
}

/** Throws the reason with the file's name, as a FileError (a low-level message becomes `unreadable`). */
export function failFile(file: string, e: unknown): never {
  if (e instanceof FileError) throw e.file === file ? e : new FileError(file, e.code, e.params);
  if (e instanceof PartError) throw new FileError(file, e.code, e.params);
  throw new FileError(file, 'unreadable', { detail: (e as Error)?.message ?? String(e) });
}

/** A reason found inside a reader that does not know the file's name (the caller adds it with failFile). */
export class PartError extends Error {
  constructor(readonly code: FileErrorCode, readonly params: Params = {}) {
    super(EN[code](params));
  }
}

/** A FileError read back from an error that crossed from a worker; null for any other error. */
export function fileErrorOf(e: unknown): { file: string; code: FileErrorCode; params: Params } | null {
  if (e instanceof FileError) return { file: e.file, code: e.code, params: e.params };
  const m = (e as Error)?.message;
  if (typeof m !== 'string' || !m.startsWith(MARK)) return null;
  try { return JSON.parse(m.slice(MARK.length)); } catch { return null; }
}

/** Where JSON.parse stopped, in bytes of the UTF-8 text (the end of the text when it ran out). */
export function jsonErrorByte(text: string, e: unknown): number {
  const m = /position (\d+)/.exec((e as Error)?.message ?? '');
  const chars = m ? Number(m[1]) : text.length;
  return new TextEncoder().encode(text.slice(0, chars)).length;
}
