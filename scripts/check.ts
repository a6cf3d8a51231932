// The coverage checks from the command line, for a district's own CI:
//   npm run check -- --grids G --buildings B --households H [--boundaries A] [--out report.json]
// Reads GeoJSON, FlatGeobuf and CSV (households by building id or lon/lat). Exit code:
// 0 all rules clean, 1 findings, 2 unusable input.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Feature } from 'geojson';
import { runChecks } from '../src/checks/engine';
import { RULES, type Report } from '../src/checks/report';
import { parseGeoJSON } from '../src/io/geojson';
import { readFlatGeobuf } from '../src/io/flatgeobuf';
import { parseCsv } from '../src/io/csv';
import { findingsCsv, findingsGeoJSON } from '../src/io/findings';
import { householdsFromCsv, householdsFromFeatures, mapFeatures, type FieldMapping, type LayerName } from '../src/io/layers';
import type { BoundaryFeature, BuildingFeature, GridFeature } from '../src/domain/types';
import type { HouseholdColumns } from '../src/checks/engine';
import { zhCN } from '../src/i18n/zh-CN';

const USAGE = `usage: npm run check -- --grids FILE --buildings FILE --households FILE [--boundaries FILE]
                      [--out report.json] [--geojson findings.geojson] [--csv findings.csv]
                      [--map LAYER.FIELD=SOURCE ...]
  FILE: .geojson/.json, .fgb, or .csv (households only; lon/lat columns optional)
  --map grids.code=WGBM maps a column of the file onto a canonical field (repeatable)
exit code: 0 all rules clean, 1 findings, 2 unusable input`;

class InputError extends Error {}

async function readFeatures(path: string): Promise<Feature[]> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.fgb') {
    try {
      return await readFlatGeobuf(new Uint8Array(bytes));
    } catch (e) {
      throw new InputError(`${path}: not a readable FlatGeobuf file (${(e as Error).message})`);
    }
  }
  if (ext === '.geojson' || ext === '.json') {
    try {
      return parseGeoJSON(bytes.toString('utf8'), path);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
  }
  throw new InputError(`${path}: unknown format "${ext}" (expected .geojson, .json or .fgb)`);
}

async function readHouseholds(path: string, mapping?: Record<string, string>): Promise<HouseholdColumns> {
  if (extname(path).toLowerCase() === '.csv') {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const t = parseCsv(text);
    const need = mapping?.id ?? 'id';
    if (!t.fields.includes(need)) throw new InputError(`${path}: no "${need}" column (columns: ${t.fields.join(', ')}); map one with --map households.id=COLUMN`);
    for (const e of t.errors.slice(0, 5)) console.error(`${path}: row ${e.row}: ${e.message}`);
    return householdsFromCsv(t, mapping);
  }
  return householdsFromFeatures(await readFeatures(path), mapping);
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
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  console.log(`GridScope coverage check — ${s.totals.grids} grids (${s.totals.base_grids} base, ${s.totals.dedicated_grids} dedicated), ${s.totals.buildings} buildings, ${s.totals.households} households, ${s.totals.residents} residents`);
  console.log('scores:');
  for (const rule of RULES) console.log(`  ${rule.padEnd(11)} ${zhCN.rules[rule].padEnd(5, '　')} ${pct(s.scores[rule]).padStart(8)}`);
  const counted = Object.entries(s.counts).filter(([, n]) => n > 0);
  console.log(counted.length ? 'findings:' : 'findings: none');
  for (const [kind, n] of counted) console.log(`  ${kind.padEnd(22)} ${String(n).padStart(7)}  ${zhCN.findings.kinds[kind as keyof typeof zhCN.findings.kinds]}`);
  if (s.slivers.count) console.log(`slivers under the tolerance: ${s.slivers.count} (${s.slivers.area_m2} m² in all)`);
  if (s.skipped) {
    console.log(`skipped (unusable input): ${s.skipped}`);
    for (const k of r.skipped.slice(0, 20)) console.log(`  ${k.layer} ${k.id}: ${k.reason}`);
    if (r.skipped.length > 20) console.log(`  … and ${r.skipped.length - 20} more (see the report's "skipped")`);
  }
}

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
    const grids = mapFeatures(await readFeatures(args.grids), mapping.grids) as GridFeature[];
    const boundaries = args.boundaries ? mapFeatures(await readFeatures(args.boundaries), mapping.boundaries) as BoundaryFeature[] : [];
    const buildings = args.buildings ? mapFeatures(await readFeatures(args.buildings), mapping.buildings) as BuildingFeature[] : [];
    const households = args.households ? await readHouseholds(args.households, mapping.households)
      : { ids: [], buildingIds: [], residents: [], positions: new Float64Array(0) };
    const { report } = runChecks({ boundaries, grids, buildings, households });
    if (report.summary.totals.grids === 0) throw new InputError(`${args.grids}: no usable grid (${report.skipped.filter((s) => s.layer === 'grids').slice(0, 3).map((s) => `${s.id}: ${s.reason}`).join('; ') || 'the file is empty'})`);
    printSummary(report);
    if (args.out) {
      writeFileSync(args.out, JSON.stringify(report));
      const geo = args.geojson ?? args.out.replace(/\.json$/i, '') + '.findings.geojson';
      writeFileSync(geo, JSON.stringify(findingsGeoJSON(report)));
      console.log(`report: ${args.out}; findings as GeoJSON: ${geo}`);
    } else if (args.geojson) writeFileSync(args.geojson, JSON.stringify(findingsGeoJSON(report)));
    if (args.csv) {
      writeFileSync(args.csv, findingsCsv(report, zhCN));
      console.log(`findings as CSV (Excel, UTF-8 with BOM): ${args.csv}`);
    }
    return report.summary.clean ? 0 : 1;
  } catch (e) {
    if (e instanceof InputError) { console.error(`unusable input: ${e.message}`); return 2; }
    throw e;
  }
}

process.exitCode = await main();
