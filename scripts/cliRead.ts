// Reading a layer's file for the command line (npm run check, npm run load) exactly as the
// console's import reads it: readAnyFile, the column guess, prepareLayer; what was rejected
// and repaired is kept for the report.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Skipped } from '../src/checks/report';
import { REQUIRED_FIELDS, type FieldMapping, type LayerName } from '../src/io/layers';
import { guessFields } from '../src/io/fieldGuess';
import { defaultCrs } from '../src/io/crs';
import { guessRole, prepareHouseholdTable, prepareLayer, readAnyFile, type ReadFile } from '../src/workspace/importFile';
import { householdsFromFeatures } from '../src/io/layers';
import type { HouseholdColumns } from '../src/checks/engine';
import { InputError } from './cliError';

export { InputError } from './cliError';

export type Role = Exclude<LayerName, 'cases'>;

const MAX_FILE_BYTES = 2 * 2 ** 30;

/** One layer's file, read and made canonical; what was rejected and repaired is reported. */
export async function readLayer(path: string, role: Role, overrides: Record<string, string> = {}) {
  const { file, mapping } = await readMapped(path, role, overrides);
  return layerOf(path, role, file, mapping);
}

function layerOf(path: string, role: Role, file: ReadFile, mapping: Record<string, string>) {
  let prepared: ReturnType<typeof prepareLayer>;
  try {
    prepared = prepareLayer(file, role, mapping, defaultCrs(file.crsGuess));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`); // still an internal error (exit 3), but the file is named
  }
  said(path, role, prepared.outsideChina, prepared.features.length, prepared.conversion);
  const repaired: Skipped[] = prepared.repaired.map((r) => ({ layer: role, id: r.id, code: r.how, params: {}, reason: `repaired on reading: ${r.how.replace(/_/g, ' ')}` }));
  return { features: prepared.features, rejected: prepared.rejected, repaired };
}

/**
 * A households file straight into the engine's columns: a roster table (CSV, XLSX) through
 * its columns with no object per row, point features as readLayer reads them; the same rows
 * rejected and the same lines said as readLayer's.
 */
export async function readHouseholds(path: string, overrides: Record<string, string> = {}): Promise<{ households: HouseholdColumns; rejected: Skipped[]; repaired: Skipped[] }> {
  const { file, mapping } = await readMapped(path, 'households', overrides);
  if (!file.table) {
    const l = layerOf(path, 'households', file, mapping);
    return { households: householdsFromFeatures(l.features), rejected: l.rejected, repaired: l.repaired };
  }
  let prepared: ReturnType<typeof prepareHouseholdTable>;
  try {
    prepared = prepareHouseholdTable(file, mapping, defaultCrs(file.crsGuess));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  said(path, 'households', prepared.outsideChina, prepared.households.ids.length, prepared.conversion);
  return { households: prepared.households, rejected: prepared.rejected, repaired: [] };
}

function said(path: string, role: Role, outsideChina: number, kept: number, conversion: { kind: string; features: number }) {
  if (outsideChina > 0) console.log(`${path}: ${outsideChina} of ${kept} ${role} lie outside China (kept)`);
  if (conversion.kind !== 'none') console.log(`${path}: coordinates converted (${conversion.kind}, ${conversion.features} features)`);
}

/** A layer's file read, with the columns it maps onto the role's fields (the guess, then --map); refused when a required one is missing. */
async function readMapped(path: string, role: Role, overrides: Record<string, string>): Promise<{ file: ReadFile; mapping: Record<string, string> }> {
  let bytes: Buffer;
  try {
    // A device or a pipe (/dev/zero) would be read forever: only regular files, of a sane size.
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
    if (st.size > MAX_FILE_BYTES) throw new InputError(`${path}: ${Math.round(st.size / 2 ** 20)} MB, more than the ${MAX_FILE_BYTES / 2 ** 30} GB a file may have`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let files: ReadFile[];
  try {
    files = await readAnyFile(basename(path), new Uint8Array(bytes));
  } catch (e) {
    throw new InputError(`${path}: ${(e as Error).message.replace(`${basename(path)}: `, '')}`);
  }
  // A zip of several layers: the one that looks like this role, else the first.
  const file = files.find((f) => guessRole(f) === role) ?? files[0];
  const mapping = { ...guessFields(role, file.columns), ...overrides };
  for (const field of REQUIRED_FIELDS[role] ?? []) {
    if (mapping[field]) continue;
    const like = file.columns.filter((c) => /name|code|id|编|码|号|名/i.test(c)).slice(0, 3);
    throw new InputError(`${path}: no column for the ${role} "${field}" (columns: ${file.columns.join(', ') || 'none'}); `
      + `say which one with --map ${role}.${field}=COLUMN${like.length ? ` (e.g. --map ${role}.${field}=${like[0]})` : ''}`);
  }
  for (const field of REQUIRED_FIELDS[role] ?? []) {
    if (!overrides[field] && /^(name|名称|网格名称)$/i.test(mapping[field])) {
      console.log(`${path}: no ${field} column; the "${mapping[field]}" column serves as the ${role} ${field} (--map ${role}.${field}=COLUMN to choose another)`);
    }
  }
  for (const [field, column] of Object.entries(overrides)) {
    if (!file.columns.includes(column)) throw new InputError(`${path}: --map ${role}.${field}=${column}: no such column (columns: ${file.columns.join(', ')})`);
  }
  return { file, mapping };
}

export function parseMappings(specs: string[]): FieldMapping {
  const out: FieldMapping = {};
  for (const s of specs) {
    const m = /^(boundaries|grids|buildings|households)\.([a-z_]+)=(.+)$/.exec(s);
    if (!m) throw new InputError(`--map ${s}: expected LAYER.FIELD=SOURCE, e.g. grids.code=WGBM`);
    (out[m[1] as LayerName] ??= {})[m[2]] = m[3];
  }
  return out;
}

