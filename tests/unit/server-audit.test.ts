// The office server's audit trail over real HTTP, on the embedded store and on PostgreSQL: each
// action leaves exactly its entries, with its actor (a table the plan kinds join); the filters
// (person, kind, China-time days, grid, district, limit) narrow it and refuse bad values by
// name; the CSV download; nothing can change or delete an entry, through the API or in SQL
// itself (nor does removing a district); and no personal value (nor a password) is ever in a stored row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { Client, freshStore, openStore, serveCommand, startServer, type Place, type RunningServer, type StoreKind } from '../support/server';
import { ROSTER_PEOPLE, rosterDistrict } from '../support/roster';
import { AUDIT_KINDS, recordAudit, type AuditKind } from '../../src/server/audit';
import { Districts } from '../../src/server/districts';
import type { AuditEntry, DistrictInfo, RevealAnswer } from '../../src/server/api';

const PASSWORD = 'correct-horse-9';
const WRONG = 'wrong-horse-77';
const NEW_PASSWORD = 'battery-staple-42';
const REASON = '核查 3 号网格信访件';

/** An entry as the table expects it: kind, actor, district, record. */
type Expected = [AuditKind, string, string | null, string | null];

/**
 * The kinds the plan code records (the lead's part of issue 23): each gets its row in the table
 * below when it does, and leaves this list. Every other kind must have a row.
 */
const RECORDED_ELSEWHERE: AuditKind[] = [];

describe.each<StoreKind>(['embedded', 'postgresql'])('the audit trail on the %s store', (kind) => {
  let place: Place;
  let server: RunningServer;
  let admin: Client, auditor: Client, planner: Client, operator: Client, reviewer: Client;
  let roster = '';
  const log = async (query = '') => {
    const r = await admin.json<AuditEntry[]>('GET', `/api/audit?${query.includes('limit=') ? '' : 'limit=10000'}${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    place = await freshStore(kind);
    const made = serveCommand(place, ['--create-admin', 'admin'], PASSWORD);
    expect(made.status, made.out).toBe(0);
    server = await startServer(place);
    admin = new Client(server.url);
    expect((await admin.login('admin', PASSWORD)).status).toBe(200);
    for (const role of ['auditor', 'planner', 'operator', 'reviewer'] as const) {
      expect((await admin.json('POST', '/api/users', { name: `u-${role}`, password: PASSWORD, role })).status).toBe(201);
    }
    auditor = new Client(server.url);
    planner = new Client(server.url);
    operator = new Client(server.url);
    reviewer = new Client(server.url);
    expect((await reviewer.login('u-reviewer', PASSWORD)).status).toBe(200);
    expect((await planner.login('u-planner', PASSWORD)).status).toBe(200);
    expect((await operator.login('u-operator', PASSWORD)).status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await place?.drop();
  }, 60_000);

  it('leaves exactly one entry per action, with its actor (a reveal: one per record), and none for reading the log', async () => {
    const d = () => `/api/districts/${roster}`;
    // [what is done, the entries it must add (nothing else)]
    const actions: [string, () => Promise<unknown>, () => Expected[]][] = [
      ['login', () => auditor.login('u-auditor', PASSWORD), () => [['login', 'u-auditor', null, null]]],
      ['a failed login', () => new Client(server.url).login('u-auditor', WRONG), () => [['login_failed', 'u-auditor', null, null]]],
      ['logout', () => planner.request('POST', '/api/logout'), () => [['logout', 'u-planner', null, null]]],
      ['add_user', () => admin.json('POST', '/api/users', { name: 'u-new', password: PASSWORD, role: 'planner' }), () => [['add_user', 'admin', null, 'u-new']]],
      ['update_user', () => admin.json('PATCH', '/api/users/u-new', { role: 'reviewer', password: NEW_PASSWORD }), () => [['update_user', 'admin', null, 'u-new']]],
      ['import', async () => { roster = (await admin.json<DistrictInfo>('POST', '/api/districts?name=roster.gridscope', rosterDistrict())).body.id; }, () => [['import', 'admin', roster, 'roster.gridscope']]],
      ['export (the district file)', async () => (await auditor.request('GET', `${d()}/file`)).arrayBuffer(), () => [['export', 'u-auditor', roster, 'draft']]],
      ['exported (a file the page made)', () => operator.json('POST', `${d()}/exported`, { kind: 'grids_geojson', file: '名册区-网格.geojson' }), () => [['export', 'u-operator', roster, 'grids_geojson']]],
      ['reveal of 2 records', () => auditor.json('POST', `${d()}/reveal`, { reason: REASON, records: ['H2', 'H5'] }), () => [['reveal', 'u-auditor', roster, 'H2'], ['reveal', 'u-auditor', roster, 'H5']]],
      ['the log as CSV', async () => (await auditor.request('GET', '/api/audit?format=csv')).arrayBuffer(), () => [['export', 'u-auditor', null, 'audit.csv']]],
      ['reading the log', () => auditor.json('GET', '/api/audit?kind=reveal'), () => []],
      // from draft to published plan (src/server/plans.ts)
      ['an edit', () => admin.json('POST', `${d()}/edits`, { op: { type: 'delete', code: '370705001001004' }, base: 0 }), () => [['edit', 'admin', roster, 'edit 1']]],
      ['a submission', () => admin.json('POST', `${d()}/plans`, { note: '撤销第4网格', effective: '2027-01-01' }), () => [['submit', 'admin', roster, 'plan 1']]],
      ['a comment', () => reviewer.json('POST', `${d()}/plans/1/comments`, { text: '请说明', grid: '370705001001004' }), () => [['comment', 'u-reviewer', roster, 'plan 1']]],
      ['a return', () => reviewer.json('POST', `${d()}/plans/1/return`, { reason: '缺少说明' }), () => [['return', 'u-reviewer', roster, 'plan 1']]],
      ['a resubmission', () => admin.json('POST', `${d()}/plans/1/resubmit`, { note: '撤销第4网格：并入第3网格' }), () => [['resubmit', 'admin', roster, 'plan 1']]],
      ['an approval', () => reviewer.json('POST', `${d()}/plans/1/approve`, { confirm: true }), () => [['approve', 'u-reviewer', roster, 'plan 1'], ['publish', 'u-reviewer', roster, 'published 2']]],
      ['another edit', () => admin.json('POST', `${d()}/edits`, { op: { type: 'delete', code: '370705001001003' }, base: 1 }), () => [['edit', 'admin', roster, 'edit 2']]],
      ['another submission', () => admin.json('POST', `${d()}/plans`, { note: '撤销第3网格', effective: '2027-02-01' }), () => [['submit', 'admin', roster, 'plan 2']]],
      ['a withdrawal', () => admin.json('POST', `${d()}/plans/2/withdraw`), () => [['withdraw', 'admin', roster, 'plan 2']]],
    ];
    const covered = new Set<string>();
    for (const [what, run, expected] of actions) {
      const before = await log();
      await run();
      const after = await log();
      const added = after.slice(0, after.length - before.length);
      expect(after.slice(added.length), `${what}: the entries before it are unchanged`).toEqual(before);
      const want = expected();
      expect(added.map((e): Expected => [e.action as AuditKind, e.user, e.district, e.record]).sort(), what).toEqual(want.slice().sort());
      for (const [k] of want) covered.add(k);
    }
    expect([...covered, ...RECORDED_ELSEWHERE].sort()).toEqual([...AUDIT_KINDS].sort());

    const entries = await log();
    const detail = (k: string, record?: string) => entries.find((e) => e.action === k && (record === undefined || e.record === record))!.detail;
    expect(detail('login_failed')).toMatch(/bad_login$/);
    expect(detail('update_user')).toBe('role=reviewer password');
    expect(detail('reveal', 'H2')).toBe(REASON);
    expect(detail('export', 'grids_geojson')).toBe('名册区-网格.geojson');
    // a reveal is filed under the household's grid: H2 is in the second grid, H5 in the third
    expect(entries.filter((e) => e.action === 'reveal').map((e) => [e.record, e.grids]).sort()).toEqual([['H2', ['370705001001002']], ['H5', ['370705001001003']]]);
    // the reveal answered those two households only
    const shown = await auditor.json<RevealAnswer>('POST', `${d()}/reveal`, { reason: REASON, records: ['H5', 'nobody'] });
    expect(shown.body).toEqual({ ids: ['H5'], columns: { head_name: ['欧阳娜丰'], phone: ['13812341005'] }, unknown: ['nobody'] });
    for (const bad of [{ reason: REASON }, { reason: REASON, records: [] }, { reason: REASON, records: Array.from({ length: 201 }, (_, i) => `H${i}`) }, { reason: REASON, records: ['x'.repeat(65)] }, { reason: REASON, records: [5] }]) {
      const r = await auditor.json<{ code: string; values: { message: string } }>('POST', `${d()}/reveal`, bad);
      expect([r.status, r.body.values.message], JSON.stringify(bad).slice(0, 60)).toEqual([400, expect.stringContaining('records')]);
    }
    expect((await operator.json('POST', `${d()}/exported`, { kind: 'Grids GeoJSON' })).status).toBe(400);
    // a name locked out after 5 failures: each try still on record, saying why
    const guess = new Client(server.url);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await guess.login('u-operator', `${WRONG}-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await log('&kind=login_failed&user=u-operator')).map((e) => e.detail.split(' ').pop())).toEqual(['too_many', 'bad_login', 'bad_login', 'bad_login', 'bad_login', 'bad_login']);
    expect((await operator.json('POST', `${d()}/exported`, { kind: 'csv', file: 'x'.repeat(201) })).status).toBe(400);
  }, 60_000);

  it('refuses every change of the log through the API, and leaves it as it was', async () => {
    const before = await log();
    const tries: [string, string][] = [['PUT', '/api/audit'], ['PATCH', '/api/audit'], ['DELETE', '/api/audit'], ['DELETE', '/api/audit/1'], ['PATCH', '/api/audit/1'], ['PUT', '/api/audit/1'], ['POST', '/api/audit']];
    for (const [method, path] of tries) {
      const r = await admin.request(method, path, method === 'DELETE' ? undefined : { detail: 'changed' });
      await r.arrayBuffer();
      expect([404, 405], `${method} ${path}: ${r.status}`).toContain(r.status);
    }
    expect(await log()).toEqual(before);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of gs_audit in SQL itself; no stored row holds a personal value or a password', async () => {
    // reveals of every household and the exports first, then the store read as the server does
    const all = await auditor.json<RevealAnswer>('POST', `/api/districts/${roster}/reveal`, { reason: '全面核查', records: ROSTER_PEOPLE.map((p) => p.id) });
    expect(all.body.columns.head_name).toEqual(ROSTER_PEOPLE.map((p) => p.head_name));
    expect(all.body.columns.phone).toEqual(ROSTER_PEOPLE.map((p) => p.phone));
    await (await auditor.request('GET', `/api/districts/${roster}/file`)).arrayBuffer();
    await (await auditor.request('GET', '/api/audit?format=csv')).arrayBuffer();
    await server.stop();
    const store = await openStore(place);
    try {
      const count = async () => Number((await store.query<{ n: string }>('SELECT count(*) AS n FROM gs_audit'))[0].n);
      const n = await count();
      for (const sql of ["UPDATE gs_audit SET detail = 'changed'", 'DELETE FROM gs_audit', "DELETE FROM gs_audit WHERE action = 'reveal'", 'TRUNCATE gs_audit']) {
        await expect(store.query(sql), sql).rejects.toThrow(/append-only/);
      }
      await expect(store.tx((q) => q.query('DELETE FROM gs_audit'))).rejects.toThrow(/append-only/);
      expect(await count()).toBe(n);
      // a district removed keeps its entries
      const entries = Number((await store.query<{ n: string }>('SELECT count(*) AS n FROM gs_audit WHERE district_id = $1', [roster]))[0].n);
      expect(entries).toBeGreaterThan(10);
      await new Districts(store).remove(roster);
      expect((await store.query('SELECT id FROM gs_districts WHERE id = $1', [roster])).length).toBe(0);
      expect(Number((await store.query<{ n: string }>('SELECT count(*) AS n FROM gs_audit WHERE district_id = $1', [roster]))[0].n)).toBe(entries);

      const rows = (await store.query<{ t: string }>('SELECT a::text AS t FROM gs_audit a')).map((r) => r.t);
      expect(rows.filter((t) => t.includes('全面核查')).length).toBe(ROSTER_PEOPLE.length);
      const secrets = [...ROSTER_PEOPLE.flatMap((p) => [p.head_name, p.phone]), PASSWORD, WRONG, NEW_PASSWORD];
      expect(rows.filter((t) => secrets.some((s) => t.includes(s)))).toEqual([]);

      // Entries for the filters below, at known times: China time is UTC+8.
      const at = (iso: string) => Date.parse(iso);
      const fixtures: [string, AuditKind, string, string[], string][] = [
        ['2025-01-01T15:59:59.999Z', 'edit', 'fixture-a', ['370705001001001', '370705001001002'], 'China 01-01 23:59:59.999'],
        ['2025-01-01T16:00:00.000Z', 'approve', 'fixture-b', ['370705001001002'], 'China 01-02 00:00 (UTC still 01-01)'],
        ['2025-01-02T15:59:59.999Z', 'edit', 'fixture-b', ['3707050010010021'], '=HYPERLINK("x")'],
        ['2025-01-02T16:00:00.000Z', 'edit', 'fixture-a', [], 'China 01-03 00:00'],
      ];
      for (const [iso, k, user, grids, detail] of fixtures) await recordAudit(store, { at: at(iso), kind: k, user, grids, detail, district: 'dfixture', record: iso });
    } finally {
      await store.close();
      server = await startServer(place);
      admin = new Client(server.url);
      expect((await admin.login('admin', PASSWORD)).status).toBe(200);
    }
  }, 60_000);

  it('narrows the log by person, kind, China-time days, grid, district and limit; refuses bad values by name; downloads it as CSV', async () => {
    const all = await log();
    const records = async (query: string) => (await log(`&district=dfixture${query}`)).map((e) => e.record);
    const F = ['2025-01-01T15:59:59.999Z', '2025-01-01T16:00:00.000Z', '2025-01-02T15:59:59.999Z', '2025-01-02T16:00:00.000Z'];
    expect(await records('')).toEqual([F[3], F[2], F[1], F[0]]); // newest first
    expect(await records('&user=fixture-a')).toEqual([F[3], F[0]]);
    expect(await records('&kind=approve')).toEqual([F[1]]);
    // 2025-01-02 in China: from its 00:00 to its 23:59:59.999 (UTC 01-01 16:00 to 01-02 15:59:59.999)
    expect(await records('&from=2025-01-02&to=2025-01-02')).toEqual([F[2], F[1]]);
    expect(await records('&from=2025-01-02')).toEqual([F[3], F[2], F[1]]);
    expect(await records('&to=2025-01-01')).toEqual([F[0]]);
    // a grid code matches whole: 370705001001002 is not part of 3707050010010021
    expect(await records('&grid=370705001001002')).toEqual([F[1], F[0]]);
    expect(await records('&grid=370705001001002&user=fixture-b')).toEqual([F[1]]);
    expect(await records('&limit=2')).toEqual([F[3], F[2]]);
    // the server's own entries, filtered there as here
    const mine = await log('&user=u-auditor');
    expect(mine).toEqual(all.filter((e) => e.user === 'u-auditor'));
    expect(mine.length).toBeGreaterThan(3);
    expect(await log(`&kind=reveal&district=${roster}&grid=370705001001001`)).toEqual(all.filter((e) => e.action === 'reveal' && e.grids.includes('370705001001001')));
    expect((await admin.json<AuditEntry[]>('GET', '/api/audit')).body.length).toBe(Math.min(all.length, 1000));

    // (each message begins with the parameter it is about)
    for (const [query, named] of [
      ['kind=nonsense', 'kind: no kind "nonsense"'], ['from=2025-02-30', 'from: "2025-02-30"'], ['to=2025-1-2', 'to: "2025-1-2"'], ['from=2025-01-03&to=2025-01-02', 'from: 2025-01-03 is after'],
      ['limit=0', 'limit:'], ['limit=10001', 'limit:'], ['limit=ten', 'limit:'], ['grid=%2C%25', 'grid:'], ['usr=admin', 'usr:'], ['format=xml', 'format:'], ['user=a&user=b', 'user:'],
    ]) {
      const r = await admin.json<{ code: string; values: { message: string } }>('GET', `/api/audit?${query}`);
      expect([r.status, r.body.values?.message?.slice(0, named.length)], query).toEqual([400, named]);
    }

    const csv = await admin.request('GET', '/api/audit?format=csv&district=dfixture');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="gridscope-audit-\d{8}\.csv"$/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with BOM, for Excel
    // (the decoder drops the BOM)
    const table = Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: true }).data;
    expect(table[0]).toEqual(['时间（北京时间）', '人员', '类别', '区域', '网格', '对象', '说明']);
    expect(table.slice(1).map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ['2025-01-03 00:00:00', 'fixture-a', '编辑网格', ''],
      ['2025-01-02 23:59:59', 'fixture-b', '编辑网格', '3707050010010021'],
      ['2025-01-02 00:00:00', 'fixture-b', '批准', '370705001001002'],
      ['2025-01-01 23:59:59', 'fixture-a', '编辑网格', '370705001001001 370705001001002'],
    ]);
    expect(table[2][6]).toBe(`'=HYPERLINK("x")`); // a text Excel would run as a formula is defused
    const english = await (await admin.request('GET', '/api/audit?format=csv&district=dfixture&lang=en&kind=approve')).text();
    expect(Papa.parse<string[]>(english, { skipEmptyLines: true }).data).toEqual([
      ['Time (China, UTC+8)', 'Person', 'Kind', 'District', 'Grids', 'Record', 'Detail'],
      ['2025-01-02 00:00:00', 'fixture-b', 'approved', 'dfixture', '370705001001002', F[1], 'China 01-02 00:00 (UTC still 01-01)'],
    ]);
  }, 60_000);
});
