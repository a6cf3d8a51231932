// Loading a district's (or a province's) layers into PostgreSQL/PostGIS for the checks there:
//   npm run load -- --db postgres://USER@HOST/DB [--schema gridscope] --grids G [--buildings B]
//                   [--households H] [--boundaries A] [--map LAYER.FIELD=SOURCE ...]
// Each file is read as the console's import reads it, COPY'd into the schema's tables (made
// anew), GiST-indexed. Then: npm run check -- --engine postgis --db … Exit 0 loaded, 2 unusable input.
import { parseArgs } from 'node:util';
import type { Feature } from 'geojson';
import { parseMappings, readLayer } from './cliRead';
import { failed, guardProcess } from './cliError';
import { connect, dbFailure, dbUrl, requirePostgis, schemaName, type Connection } from './postgis/connect';
import { loadLayers } from './postgis/load';
import { LAYERS, type PgLayer } from './postgis/schema';

const USAGE = `usage: npm run load -- --db postgres://USER@HOST/DB [--schema gridscope] --grids FILE [--buildings FILE]
                     [--households FILE] [--boundaries FILE] [--map LAYER.FIELD=SOURCE ...]`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        db: { type: 'string' }, schema: { type: 'string' }, grids: { type: 'string' }, buildings: { type: 'string' },
        households: { type: 'string' }, boundaries: { type: 'string' }, map: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) { console.log(USAGE); return 0; }
  if (!args.db || !args.grids) { console.error(`--db and --grids are required\n${USAGE}`); return 2; }
  let c: Connection | null = null;
  try {
    // the arguments first: a typo is not found after an hour of reading a province's files
    const url = dbUrl(args.db);
    const schema = schemaName(args.schema);
    const mapping = parseMappings(args.map ?? []);
    const layers: Partial<Record<PgLayer, Feature[]>> = {};
    for (const role of LAYERS) {
      const path = args[role];
      if (!path) continue;
      const l = await readLayer(path, role, mapping[role]);
      layers[role] = l.features as Feature[];
      for (const r of [...l.rejected.slice(0, 20)]) console.log(`  ${role} ${r.id}: ${r.reason}`);
      if (l.rejected.length) console.log(`${path}: ${l.rejected.length} features set aside on reading`);
    }
    c = await connect(url);
    const t = performance.now();
    let counts: Record<PgLayer, number>;
    try {
      await requirePostgis(c.db, true);
      counts = await loadLayers(c.db, schema, layers);
    } catch (e) {
      throw dbFailure(c, e, 'the load', 'the tables may be half loaded: run it again');
    }
    console.log(`loaded into schema ${schema} in ${Math.round(performance.now() - t)} ms: ${LAYERS.map((l) => `${counts[l]} ${l}`).join(', ')}`);
    return 0;
  } catch (e) {
    return failed(e);
  } finally {
    await c?.db.end().catch(() => {});
  }
}

guardProcess();
process.exitCode = await main();
