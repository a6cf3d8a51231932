// The reference city shaped like real data (../shared/bench/realistic-city.mjs: Voronoi grids
// with wiggling shared edges, buildings across edges, one plain district boundary, planted gaps
// and overlaps), generated into a git-ignored folder the first time a size is asked for. The
// project does not need it: where ../shared is absent the parts that use it say so and skip.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RealisticSize = 'S' | 'M' | 'L';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = resolve(ROOT, '../shared/bench/realistic-city.mjs');
/** git-ignored (.tmp/); the generator is copied there so that it finds the project's d3-delaunay */
export const REALISTIC_DIR = join(ROOT, '.tmp', 'realistic');

/** The files of one size (boundary.geojson, grids.geojson, buildings.geojson, households.csv), or null without ../shared. */
export function realisticDir(size: RealisticSize): string | null {
  const dir = join(REALISTIC_DIR, `city-${size}`);
  if (existsSync(join(dir, 'meta.json'))) return dir;
  if (!existsSync(SOURCE)) return null;
  mkdirSync(REALISTIC_DIR, { recursive: true });
  const script = join(REALISTIC_DIR, 'realistic-city.mjs');
  copyFileSync(SOURCE, script);
  execFileSync(process.execPath, [script, size, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

/** The files as `npm run check` takes them: the roster's building column is "bldg". */
export function realisticFiles(dir: string) {
  return {
    boundaries: join(dir, 'boundary.geojson'),
    grids: join(dir, 'grids.geojson'),
    buildings: join(dir, 'buildings.geojson'),
    households: join(dir, 'households.csv'),
    map: ['households.building_id=bldg'],
  };
}

export const NO_SHARED = 'skipped: ../shared/bench/realistic-city.mjs is not beside the project';

/** The four layers read exactly as `npm run check` reads them, ready for the engine. */
export async function readRealistic(dir: string): Promise<import('../../src/checks/engine').CheckInput> {
  const { readLayer } = await import('../cliRead');
  const { householdsFromFeatures } = await import('../../src/io/layers');
  const f = realisticFiles(dir);
  const quiet = console.log;
  console.log = () => {}; // the column guesses ("name serves as the code") are the CLI's to print
  try {
    const [grids, boundaries, buildings, households] = [
      await readLayer(f.grids, 'grids'), await readLayer(f.boundaries, 'boundaries'),
      await readLayer(f.buildings, 'buildings'), await readLayer(f.households, 'households', { building_id: 'bldg' }),
    ];
    return {
      grids: grids.features as never, boundaries: boundaries.features as never, buildings: buildings.features as never,
      households: householdsFromFeatures(households.features),
    };
  } finally {
    console.log = quiet;
  }
}
