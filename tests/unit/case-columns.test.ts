// Cases kept as columns: Open311 features in and out unchanged, a feed's answer merged in
// place (the rules of mergeCases), saved in a workspace and in a workspace file.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CaseFeature } from '../../src/domain/types';
import { caseColumns, caseFeature, mergeIntoColumns } from '../../src/workspace/caseTable';
import { GridScopeDB } from '../../src/store/db';
import { Workspaces } from '../../src/store/workspaces';

const fc = JSON.parse(readFileSync('tests/fixtures/cases/kpis.geojson', 'utf8'));
const cases = fc.features.filter((f: any) => f.properties.layer === 'cases').map((f: any) => {
  const { layer: _, ...properties } = f.properties;
  return { ...f, properties };
}) as CaseFeature[];
const times = (f: CaseFeature) => Object.fromEntries(Object.entries(f.properties).filter(([k]) => k.endsWith('_datetime')).map(([k, v]) => [k, v ? Date.parse(String(v)) : NaN]));
const plain = (f: CaseFeature) => Object.fromEntries(Object.entries(f.properties).filter(([k]) => !k.endsWith('_datetime')));

describe('case columns', () => {
  it('give back the same cases (times as instants)', () => {
    const c = caseColumns(cases);
    cases.forEach((f, i) => {
      const back = caseFeature(c, i);
      expect(plain(back)).toEqual(plain(f));
      const t = times(back);
      for (const [k, v] of Object.entries(times(f))) expect(t[k], `${f.properties.service_request_id} ${k}`).toEqual(v);
      expect(Object.values(t).filter(Number.isFinite).length).toBe(Object.values(times(f)).filter(Number.isFinite).length);
      expect(back.geometry.coordinates).toEqual(f.geometry.coordinates);
    });
  });

  it('take a feed answer in place: updated by id, new ones appended, a closed case stays closed unless reopened later', () => {
    const c = caseColumns(cases);
    const c1 = caseFeature(c, 0); // C1, closed
    const c3 = caseFeature(c, 2); // C3, open
    const later = (f: CaseFeature, props: Partial<CaseFeature['properties']>, ms: number) =>
      ({ ...f, properties: { ...f.properties, ...props, updated_datetime: new Date(Date.parse(f.properties.updated_datetime) + ms).toISOString() } }) as CaseFeature;
    const answer = [
      later(c3, { status: 'closed', closed_datetime: '2026-11-01T10:00:00+08:00' }, 3_600_000), // closes C3
      later(c1, { status: 'open' }, -3_600_000), // an older "open" for C1: ignored
      { ...c3, properties: { ...c3.properties, service_request_id: 'NEW-1' } } as CaseFeature,
    ];
    const m = mergeIntoColumns(c, answer);
    expect(m.columns.count).toBe(cases.length + 1);
    expect(m.columns.ids.slice(0, cases.length)).toEqual(c.ids); // order kept
    expect(m.columns.ids.at(-1)).toBe('NEW-1');
    expect(m.columns.open[2]).toBe(0);
    expect(m.columns.open[0]).toBe(0);
    expect([m.added, m.updated, m.reopened]).toEqual([1, 1, 0]);
    const reopened = mergeIntoColumns(m.columns, [later(c1, { status: 'open' }, 3_600_000)]);
    expect(reopened.reopened).toBe(1);
    expect(reopened.columns.open[0]).toBe(1);
    expect(c.open[2]).toBe(1); // the columns merged into are not changed
  });

  it('are saved in a workspace and in a workspace file as columns', async () => {
    const ws = new Workspaces(new GridScopeDB(`test-${Math.random()}`));
    const w = await ws.create('事件');
    await ws.saveLayer(w.id, 'cases', cases, { file: 'cases.json', notes: [] });
    const { cases: stored, rows } = await ws.load(w.id);
    expect(rows[0].cases).toBeDefined();
    expect(stored!.ids).toEqual(cases.map((f) => f.properties.service_request_id));
    const copy = await ws.importArchive(await ws.exportArchive(w.id), 'x.gridscope');
    const back = (await ws.load(copy.id)).cases!;
    expect(back.ids).toEqual(stored!.ids);
    expect(Array.from(back.times)).toEqual(Array.from(stored!.times));
    expect(Array.from(back.positions)).toEqual(Array.from(stored!.positions));
  });
});
