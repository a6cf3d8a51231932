// The coverage checks from the command line, for a district's own CI:
//   npm run check -- --grids G [--buildings B] [--households H] [--boundaries A] [--out report.json]
// or, where the data already lives in PostgreSQL/PostGIS (loaded by npm run load, or tables
// of one's own), the same rules run there as SQL and only the report comes back:
//   npm run check -- --engine postgis --db postgres://… [--schema gridscope] [--table grids=my.grids …]
// Files are read exactly as the console's import reads them (one file → canonical features
// step: readAnyFile, the column guess, prepareLayer), so a file gives the same report here
// and in the page. Exit code: 0 all rules clean, 1 findings, 2 unusable input or output, 3 internal error.
import { parseArgs } from 'node:util';
import type { Feature } from 'geojson';
import { runChecks, type HouseholdColumns } from '../src/checks/engine';
import { RULES, type Report, type Skipped } from '../src/checks/report';
import { withSkipped } from '../src/checks/finish';
import { findingsCsv, findingsGeoJSON } from '../src/io/findings';
import { parseMappings, readHouseholds, readLayer, type Role } from './cliRead';
import { InputError, failed, guardProcess } from './cliError';
import { jsonChunks, writeAll } from './cliWrite';
import { checkInPostgis, tablesIn, type Tables } from './postgis/engine';
import { connect, dbFailure, dbUrl, requirePostgis, schemaName, type Connection } from './postgis/connect';
import type { PgLayer } from './postgis/schema';
import type { BoundaryFeature, BuildingFeature, GridFeature } from '../src/domain/types';
import { zhCN } from '../src/i18n/zh-CN';
import { percentText, SCORE_DIGITS } from '../src/ui/format';

const USAGE = `usage: npm run check -- --grids FILE [--buildings FILE] [--households FILE] [--boundaries FILE]
                      [--out report.json] [--geojson findings.geojson] [--csv findings.csv]
                      [--map LAYER.FIELD=SOURCE ...]
       npm run check -- --engine postgis --db postgres://USER@HOST/DB [--schema gridscope]
                      [--table LAYER=SCHEMA.TABLE ...] [--out report.json] [--geojson …] [--csv …]
  --engine postgis: the rules run as SQL in PostgreSQL/PostGIS on the tables npm run load made
                      (schema gridscope), or on tables of your own with the same columns (--table)
  FILE: .geojson/.json, .fgb, zipped Shapefile (.zip), .csv or .xlsx, read as the console's import reads it
  --map grids.code=WGBM maps a column of the file onto a canonical field (repeatable)
exit code: 0 no finding in what could be checked, 1 findings, 2 unusable input or output, 3 internal error`;

function printSummary(r: Report) {
  const s = r.summary;
  const pct = (x: number | null, rule: (typeof RULES)[number]) => (x === null
    ? `${s.checks[rule].status.replace('_', ' ')}${s.checks[rule].note ? ` (${s.checks[rule].note!.replace(/_/g, ' ')})` : ''}`
    : percentText(x, SCORE_DIGITS).padStart(8));
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
        engine: { type: 'string' }, db: { type: 'string' }, schema: { type: 'string' }, table: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) { console.log(USAGE); return 0; }
  if (args.engine && args.engine !== 'postgis' && args.engine !== 'page') { console.error(`--engine ${args.engine}: postgis or page\n${USAGE}`); return 2; }
  if (args.engine === 'postgis') return postgis(args);
  if (!args.grids) { console.error(`--grids is required\n${USAGE}`); return 2; }
  try {
    const mapping = parseMappings(args.map ?? []);
    const layers: Partial<Record<Role, { features?: Feature[]; rejected: Skipped[]; repaired: Skipped[] }>> = {};
    let households = NO_HOUSEHOLDS;
    for (const role of ['grids', 'boundaries', 'buildings', 'households'] as const) {
      const path = args[role];
      if (!path) continue;
      // Households go straight into the engine's columns (a roster: no object per row).
      if (role === 'households') {
        const read = await readHouseholds(path, mapping[role]);
        households = read.households;
        layers[role] = { rejected: read.rejected, repaired: read.repaired };
      } else layers[role] = await readLayer(path, role, mapping[role]);
      const aside = layers[role]!.rejected.length;
      if (aside) console.log(`${path}: ${aside} feature${aside === 1 ? '' : 's'} set aside on reading (listed under "skipped")`);
    }
    const of = <T>(role: Role) => (layers[role]?.features ?? []) as Feature[] as T[];
    const { report: checked } = runChecks({
      grids: of<GridFeature>('grids'), boundaries: of<BoundaryFeature>('boundaries'), buildings: of<BuildingFeature>('buildings'), households,
    });
    // What reading set aside or mended goes into the report too (a skipped grid: not clean, exit 1).
    const read = Object.values(layers);
    const report = withSkipped(checked, read.flatMap((l) => l!.rejected), read.flatMap((l) => l!.repaired));
    if (report.summary.totals.grids === 0) throw new InputError(`${args.grids}: no usable grid (${report.skipped.filter((s) => s.layer === 'grids').slice(0, 3).map((s) => `${s.id}: ${s.reason}`).join('; ') || 'the file is empty'})`);
    return output(report, args);
  } catch (e) {
    return failed(e);
  }
}

/** The report printed and written where asked (all of the files or none of them); the exit code. */
function output(report: Report, args: { out?: string; geojson?: string; csv?: string }): number {
  printSummary(report);
  const files: [string, () => string | Iterable<string>][] = [];
  const geo = args.geojson ?? (args.out ? args.out.replace(/\.json$/i, '') + '.findings.geojson' : undefined);
  // Streamed: the report's and the findings' text is never one giant string.
  if (args.out) files.push([args.out, () => jsonChunks(report)]);
  if (geo) files.push([geo, () => jsonChunks(findingsGeoJSON(report))]);
  if (args.csv) files.push([args.csv, () => findingsCsv(report, zhCN)]);
  writeAll(files);
  if (args.out) console.log(`report: ${args.out}; findings as GeoJSON: ${geo}`);
  if (args.csv) console.log(`findings as CSV (Excel, UTF-8 with BOM): ${args.csv}`);
  return report.summary.clean ? 0 : 1;
}

/** The same rules as SQL in PostgreSQL/PostGIS: nothing but the report leaves the database. */
async function postgis(args: { db?: string; schema?: string; table?: string[]; out?: string; geojson?: string; csv?: string }): Promise<number> {
  let c: Connection | null = null;
  try {
    const url = dbUrl(args.db);
    const tables: Tables = args.table?.length ? {} : tablesIn(schemaName(args.schema));
    for (const spec of args.table ?? []) {
      const m = /^(boundaries|grids|buildings|households)=([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?)$/.exec(spec);
      if (!m) throw new InputError(`--table ${spec}: expected LAYER=SCHEMA.TABLE (letters, digits and _), e.g. grids=public.wangge`);
      tables[m[1] as PgLayer] = m[2];
    }
    if (!tables.grids) throw new InputError('--table: the grids table is required (--table grids=SCHEMA.TABLE)');
    c = await connect(url);
    const started = performance.now();
    let report: Report;
    try {
      await requirePostgis(c.db, false);
      report = await checkInPostgis(c.db, tables);
    } catch (e) {
      const why = dbFailure(c, e, 'the check', 'nothing was checked: run it again');
      throw why instanceof InputError ? why : new InputError(`PostGIS: ${why.message}`);
    }
    console.log(`checked in PostgreSQL/PostGIS in ${Math.round(performance.now() - started)} ms`);
    if (report.summary.totals.grids === 0) throw new InputError(`${tables.grids}: no usable grid`);
    return output(report, args);
  } catch (e) {
    return failed(e);
  } finally {
    await c?.db.end().catch(() => {});
  }
}

guardProcess();
process.exitCode = await main();
