// Loading a district's (or a province's) layers into PostgreSQL/PostGIS for the checks there:
//   npm run load -- --db postgres://USER@HOST/DB [--schema gridscope] --grids G [--buildings B]
//                   [--households H] [--boundaries A] [--map LAYER.FIELD=SOURCE ...]
// Each file is read as the console's import reads it, COPY'd into the schema's tables (made
// anew), GiST-indexed. Then: npm run check -- --engine postgis --db … Exit 0 loaded, 2 unusable input.
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Feature } from 'geojson';
import { InputError, parseMappings, readLayer } from './cliRead';
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
  const db = new pg.Client({ connectionString: args.db });
  try {
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
    try { await db.connect(); } catch (e) { throw new InputError(`--db: cannot connect (${(e as Error).message})`); }
    const t = performance.now();
    const counts = await loadLayers(db, args.schema ?? 'gridscope', layers);
    console.log(`loaded into schema ${args.schema ?? 'gridscope'} in ${Math.round(performance.now() - t)} ms: ${LAYERS.map((l) => `${counts[l]} ${l}`).join(', ')}`);
    return 0;
  } catch (e) {
    if (e instanceof InputError) { console.error(`unusable input: ${e.message}`); return 2; }
    console.error(`internal error: ${(e as Error)?.message ?? String(e)}`);
    return 3;
  } finally {
    await db.end().catch(() => {});
  }
}

process.exitCode = await main();
