// The demo district (data/demo) as a workspace file, so that a new server has one district
// for everyone to see from its first start.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature } from 'geojson';
import { readFlatGeobuf } from '../io/flatgeobuf';
import { writeArchive, type ArchiveLayer } from '../store/archive';
import { toGeoColumns } from '../store/geoColumns';
import { storedCases } from '../store/db';
import { caseColumns } from '../workspace/caseTable';
import type { CaseFeature, DemoMeta } from '../domain/types';

const LAYERS = ['boundaries', 'grids', 'roads', 'water', 'buildings', 'households'] as const;

export async function demoArchive(dir: string): Promise<{ name: string; bytes: Uint8Array }> {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as DemoMeta;
  const source = { file: meta.district_name, notes: [] };
  const layers: ArchiveLayer[] = [];
  for (const role of LAYERS) {
    const features = await readFlatGeobuf(new Uint8Array(readFileSync(join(dir, `${role}.fgb`)))) as Feature[];
    layers.push({ role, geo: toGeoColumns(features), count: features.length, source });
  }
  const cases = caseColumns(await readFlatGeobuf(new Uint8Array(readFileSync(join(dir, 'cases.fgb')))) as unknown as CaseFeature[]);
  layers.push({ role: 'cases', cases: storedCases(cases), count: cases.count, source });
  return { name: meta.district_name, bytes: writeArchive({ name: meta.district_name, mappings: {}, meta, layers, edits: [], editsDone: 0, versions: [], includePersonal: true }) };
}
