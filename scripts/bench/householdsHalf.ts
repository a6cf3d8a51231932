// The household stage's second half, in a worker thread (scripts/bench/twoCores.ts): the
// grids come as features (the locator is built here), everything else as SharedArrayBuffers.
import { parentPort } from 'node:worker_threads';
import { GridLocator } from '../../src/checks/locate';
import { assignHousehold, type HouseholdState } from '../../src/checks/households';
import type { BuildingState } from '../../src/checks/buildings';
import type { PackedPolygons } from '../../src/checks/rings';

parentPort!.on('message', (m) => {
  const t0 = performance.now();
  const locator = new GridLocator(m.grids);
  const t1 = performance.now();
  const b = { grid: new Int32Array(m.bGrid), simple: new Uint8Array(m.bSimple) } as unknown as BuildingState;
  const bPacked = { coords: new Float64Array(m.coords), ringStart: new Uint32Array(m.ringStart), polyRings: new Uint32Array(m.polyRings), bbox: new Float64Array(m.bbox), ringHole: new Uint8Array(m.ringHole) } as PackedPolygons;
  const positions = new Float64Array(m.positions);
  const hBuilding = new Int32Array(m.hBuilding), hHas = new Uint8Array(m.hHas);
  const s: HouseholdState = { grid: new Int32Array(m.hGrid), outcome: new Uint8Array(m.hOutcome), distance: new Float32Array(m.hDistance) };
  for (let i = m.from; i < m.to; i++) {
    if (s.outcome[i] !== 255) assignHousehold(i, positions[2 * i], positions[2 * i + 1], hBuilding[i], hHas[i] === 1, b, bPacked, locator, m.misplacedM, s);
  }
  parentPort!.postMessage({ locatorMs: t1 - t0, assignMs: performance.now() - t1 });
});
