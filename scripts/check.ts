// The coverage checks from the command line, for a district's own CI:
//   npm run check -- --grids G [--buildings B] [--households H] [--boundaries A] [--out report.json]
// Files are read exactly as the console's import reads them (one file → canonical features
// step: readAnyFile, the column guess, prepareLayer), so a file gives the same report here
// and in the page. Exit code: 0 all rules clean, 1 findings, 2 unusable input.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Feature } from 'geojson';
import { runChecks, type HouseholdColumns } from '../src/checks/engine';
import { RULES, type Report, type Skipped } from '../src/checks/report';
import { findingsCsv, findingsGeoJSON } from '../src/io/findings';
import { householdsFromFeatures, REQUIRED_FIELDS, type FieldMapping, type LayerName } from '../src/io/layers';
import { guessFields } from '../src/io/fieldGuess';
import { defaultCrs } from '../src/io/crs';
import { guessRole, prepareLayer, readAnyFile, type ReadFile } from '../src/workspace/importFile';
import type { BoundaryFeature, BuildingFeature, GridFeature } from '../src/domain/types';
import { zhCN } from '../src/i18n/zh-CN';

const USAGE = `usage: npm run check -- --grids FILE [--buildings FILE] [--households FILE] [--boundaries FILE]
                      [--out report.json] [--geojson findings.geojson] [--csv findings.csv]
                      [--map LAYER.FIELD=SOURCE ...]
  FILE: .geojson/.json, .fgb, zipped Shapefile (.zip), .csv or .xlsx, read as the console's import reads it
  --map grids.code=WGBM maps a column of the file onto a canonical field (repeatable)
exit code: 0 no finding in what could be checked, 1 findings, 2 unusable input or output, 3 internal error`;

class InputError extends Error {}

type Role = Exclude<LayerName, 'cases'>;

const MAX_FILE_BYTES = 2 * 2 ** 30;

/** One layer's file, read and made canonical; what was rejected and repaired is reported. */
async function readLayer(path: string, role: Role, overrides: Record<string, string> = {}) {
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
  const prepared = prepareLayer(file, role, mapping, defaultCrs(file.crsGuess));
  if (prepared.conversion.kind !== 'none') console.log(`${path}: coordinates converted (${prepared.conversion.kind}, ${prepared.conversion.features} features)`);
  const repaired: Skipped[] = prepared.repaired.map((r) => ({ layer: role, id: r.id, code: r.how, params: {}, reason: `repaired on reading: ${r.how.replace(/_/g, ' ')}` }));
  return { features: prepared.features, rejected: prepared.rejected, repaired };
}

function parseMappings(specs: string[]): FieldMapping {
  const out: FieldMapping = {};
  for (const s of specs) {
    const m = /^(boundaries|grids|buildings|households)\.([a-z_]+)=(.+)$/.exec(s);
    if (!m) throw new InputError(`--map ${s}: expected LAYER.FIELD=SOURCE, e.g. grids.code=WGBM`);
    (out[m[1] as LayerName] ??= {})[m[2]] = m[3];
  }
  return out;
}

function printSummary(r: Report) {
  const s = r.summary;
  const pct = (x: number | null, rule: (typeof RULES)[number]) => (x === null
    ? `${s.checks[rule].status.replace('_', ' ')}${s.checks[rule].note ? ` (${s.checks[rule].note!.replace(/_/g, ' ')})` : ''}`
    : `${(x * 100).toFixed(2)}%`.padStart(8));
  console.log(`GridScope coverage check — ${s.totals.grids} grids (${s.totals.base_grids} base, ${s.totals.dedicated_grids} dedicated), ${s.totals.buildings} buildings, ${s.totals.households} households, ${s.totals.residents} residents`);
  console.log('scores:');
  for (const rule of RULES) console.log(`  ${rule.padEnd(11)} ${zhCN.rules[rule].padEnd(5, '　')} ${pct(s.scores[rule], rule)}`);
  const counted = Object.entries(s.counts).filter(([, n]) => n > 0);
  console.log(counted.length ? 'findings:' : 'findings: none');
  for (const [kind, n] of counted) console.log(`  ${kind.padEnd(22)} ${String(n).padStart(7)}  ${zhCN.findings.kinds[kind as keyof typeof zhCN.findings.kinds]}`);
  if (s.slivers.count) console.log(`slivers under the tolerance: ${s.slivers.count} (${s.slivers.area_m2} m² in all)`);
  for (const [title, list] of [['repaired (invalid shapes made valid, then checked)', r.repaired], ['skipped (unusable input)', r.skipped]] as const) {
    if (!list.length) continue;
    console.log(`${title}: ${list.length}`);
    for (const k of list.slice(0, 20)) console.log(`  ${k.layer} ${k.id}: ${k.reason}`);
    if (list.length > 20) console.log(`  … and ${list.length - 20} more (see the report)`);
  }
}

const NO_HOUSEHOLDS: HouseholdColumns = { ids: [], buildingIds: [], residents: [], positions: new Float64Array(0) };

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        grids: { type: 'string' }, buildings: { type: 'string' }, households: { type: 'string' }, boundaries: { type: 'string' },
        out: { type: 'string' }, geojson: { type: 'string' }, csv: { type: 'string' }, map: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) { console.log(USAGE); return 0; }
  if (!args.grids) { console.error(`--grids is required\n${USAGE}`); return 2; }
  try {
    const mapping = parseMappings(args.map ?? []);
    const layers: Partial<Record<Role, Awaited<ReturnType<typeof readLayer>>>> = {};
    for (const role of ['grids', 'boundaries', 'buildings', 'households'] as const) {
      const path = args[role];
      if (path) layers[role] = await readLayer(path, role, mapping[role]);
    }
    const of = <T>(role: Role) => (layers[role]?.features ?? []) as Feature[] as T[];
    const { report } = runChecks({
      grids: of<GridFeature>('grids'), boundaries: of<BoundaryFeature>('boundaries'), buildings: of<BuildingFeature>('buildings'),
      households: layers.households ? householdsFromFeatures(layers.households.features) : NO_HOUSEHOLDS,
    });
    // What reading set aside or mended goes into the report too.
    const read = Object.values(layers);
    report.skipped.unshift(...read.flatMap((l) => l!.rejected));
    report.repaired.unshift(...read.flatMap((l) => l!.repaired));
    report.summary.skipped = report.skipped.length;
    report.summary.repaired = report.repaired.length;
    if (report.summary.totals.grids === 0) throw new InputError(`${args.grids}: no usable grid (${report.skipped.filter((s) => s.layer === 'grids').slice(0, 3).map((s) => `${s.id}: ${s.reason}`).join('; ') || 'the file is empty'})`);
    printSummary(report);
    if (args.out) {
      write(args.out, JSON.stringify(report));
      const geo = args.geojson ?? args.out.replace(/\.json$/i, '') + '.findings.geojson';
      write(geo, JSON.stringify(findingsGeoJSON(report)));
      console.log(`report: ${args.out}; findings as GeoJSON: ${geo}`);
    } else if (args.geojson) write(args.geojson, JSON.stringify(findingsGeoJSON(report)));
    if (args.csv) {
      write(args.csv, findingsCsv(report, zhCN));
      console.log(`findings as CSV (Excel, UTF-8 with BOM): ${args.csv}`);
    }
    return report.summary.clean ? 0 : 1;
  } catch (e) {
    if (e instanceof InputError) { console.error(`unusable input: ${e.message}`); return 2; }
    // Not the input's fault, not a finding: its own exit code, one line (a district's CI must
    // not read a crash as "findings").
    console.error(`internal error: ${(e as Error)?.message ?? String(e)} (please report it with the input files)`);
    return 3;
  }
}

/** An output file written, or a refusal naming it (a directory, no permission). */
function write(path: string, text: string) {
  try {
    writeFileSync(path, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot write the output there (${code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'no permission' : code ?? (e as Error).message})`);
  }
}

process.exitCode = await main();
