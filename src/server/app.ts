// The office server's HTTP side (Fastify): the built console (dist/, its index.html marked as
// served by a server) and the API of src/server/api.ts. Every route says who may call it; a
// request that changes anything must come from the console's own origin; bodies are limited.
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Accounts, SESSION_COOKIE, SESSION_MS, userProblem } from './auth';
import { Districts } from './districts';
import { BadRequest, editRequest } from './requests';
import { PartError } from '../io/fileError';
import { auditCsv, auditFilter, listAudit, recordAudit } from './audit';
import { zhCN } from '../i18n/zh-CN';
import { en } from '../i18n/en';
import type { Me, NewUser, RevealAnswer, Role, ServerView } from './api';
import type { DistrictEvent } from './districts';
import type { Store } from './store';

export interface AppOptions {
  store: Store;
  /** the built console (vite build) */
  dist: string;
  /** the largest workspace file an upload may be, bytes */
  uploadLimit?: number;
}

declare module 'fastify' {
  interface FastifyRequest { me: Me | null }
}

export async function buildApp(o: AppOptions) {
  const app = Fastify({ logger: false, bodyLimit: 1 << 20, trustProxy: false });
  const accounts = new Accounts(o.store);
  const districts = new Districts(o.store);

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  app.decorateRequest('me', null);
  app.addContentTypeParser('application/zip', { parseAs: 'buffer', bodyLimit: o.uploadLimit ?? 1 << 30 }, (_req, body, done) => done(null, body));

  // The console's policy as its build wrote it, sent as a header for the page and its workers.
  const indexFile = join(o.dist, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile}: the console is not built (npm run build)`);
  const builtIndex = readFileSync(indexFile, 'utf8');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(builtIndex)?.[1] ?? "default-src 'self'";
  const index = builtIndex.replace('<head>', '<head>\n    <meta name="gridscope-server" content="1" />');
  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Content-Security-Policy', `${csp}; frame-ancestors 'none'`);
    reply.header('Referrer-Policy', 'same-origin');
  });

  // No cross-origin API: a changing request from another origin (or another site, as the browser says) is refused.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/') || req.method === 'GET' || req.method === 'HEAD') return;
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if ((origin && origin !== `${req.protocol}://${req.headers.host}`) || (site && site !== 'same-origin' && site !== 'none')) {
      return reply.code(403).send({ code: 'cross_origin', values: {} });
    }
  });

  /** The route's roles: a session first (401 without), then the role (403). */
  const allow = (...roles: Role[]) => async (req: FastifyRequest, reply: FastifyReply) => {
    req.me = await accounts.session(req.cookies[SESSION_COOKIE]);
    if (!req.me) return reply.code(401).send({ code: 'not_logged_in', values: {} });
    if (roles.length && !roles.includes(req.me.role)) return reply.code(403).send({ code: 'forbidden', values: { role: req.me.role } });
  };
  const anyone = allow();
  const district = async (req: FastifyRequest, reply: FastifyReply) => {
    const d = await districts.get((req.params as { id: string }).id);
    if (!d) reply.code(404).send({ code: 'no_district', values: {} });
    return d;
  };

  app.get('/api/health', async () => ({ ok: true, server: 'gridscope', store: o.store.kind }));

  app.post('/api/login', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
    const b = (req.body ?? {}) as { name?: unknown; password?: unknown };
    if (typeof b.name !== 'string' || typeof b.password !== 'string' || b.name.length > 100 || b.password.length > 200) return reply.code(400).send({ code: 'bad_login', values: {} });
    const r = await accounts.login(b.name, b.password);
    if ('refused' in r) {
      // (the name tried and why; the password never)
      await recordAudit(o.store, { user: b.name, kind: 'login_failed', detail: `${req.ip} ${r.refused}` });
      return reply.code(r.refused === 'too_many' ? 429 : 401).send({ code: r.refused, values: {} });
    }
    reply.setCookie(SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', path: '/', maxAge: SESSION_MS / 1000 });
    await recordAudit(o.store, { user: r.me.name, kind: 'login', detail: req.ip });
    return r.me;
  });

  app.post('/api/logout', async (req, reply) => {
    const me = await accounts.session(req.cookies[SESSION_COOKIE]);
    await accounts.logout(req.cookies[SESSION_COOKIE]);
    if (me) await recordAudit(o.store, { user: me.name, kind: 'logout', detail: req.ip });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/me', { preHandler: anyone }, async (req) => req.me);

  app.get('/api/users', { preHandler: allow('admin') }, async () => accounts.list());
  app.post('/api/users', { preHandler: allow('admin') }, async (req, reply) => {
    const u = (req.body ?? {}) as NewUser;
    const problem = userProblem(u);
    if (problem) return reply.code(400).send({ code: 'bad_user', values: { message: problem } });
    if (!(await accounts.add({ name: u.name, password: u.password, role: u.role, scope: u.scope ?? [] }))) return reply.code(409).send({ code: 'user_exists', values: { name: u.name } });
    await recordAudit(o.store, { user: req.me!.name, kind: 'add_user', record: u.name, detail: [u.role, ...(u.scope ?? [])].join(' ') });
    return reply.code(201).send(await accounts.get(u.name));
  });
  app.patch('/api/users/:name', { preHandler: allow('admin') }, async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const u = (req.body ?? {}) as Partial<NewUser> & { disabled?: unknown };
    const problem = userProblem({ ...u, name: undefined }, true) ?? (u.disabled !== undefined && typeof u.disabled !== 'boolean' ? 'disabled: true or false' : null);
    if (problem) return reply.code(400).send({ code: 'bad_user', values: { message: problem } });
    const done = await accounts.update(name, { role: u.role, scope: u.scope, password: u.password, disabled: u.disabled as boolean | undefined });
    if (done === 'last_admin') return reply.code(409).send({ code: 'last_admin', values: { name } });
    if (!done) return reply.code(404).send({ code: 'no_user', values: { name } });
    // (what changed; a new password only as the word, never its text)
    const changed = [u.role !== undefined && `role=${u.role}`, u.scope !== undefined && `scope=${u.scope.join(',')}`, u.disabled !== undefined && `disabled=${u.disabled}`, u.password !== undefined && 'password'];
    await recordAudit(o.store, { user: req.me!.name, kind: 'update_user', record: name, detail: changed.filter(Boolean).join(' ') });
    return accounts.get(name);
  });

  app.get('/api/districts', { preHandler: anyone }, async () => districts.list());
  app.post('/api/districts', { preHandler: allow('admin') }, async (req, reply) => {
    if (!(req.body instanceof Buffer)) return reply.code(415).send({ code: 'not_zip', values: {} });
    const name = String((req.query as { name?: string }).name ?? 'upload.gridscope').slice(0, 200);
    try {
      const info = await districts.add(new Uint8Array(req.body), name, req.me!.name);
      await recordAudit(o.store, { user: req.me!.name, kind: 'import', district: info.id, record: name, detail: info.name });
      return reply.code(201).send(info);
    } catch (e) {
      if (e instanceof PartError) return reply.code(400).send({ code: e.code, values: { ...e.params, file: name, message: `${name}: ${e.message}` } });
      throw e;
    }
  });

  app.get('/api/districts/:id/file', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const view = String((req.query as { view?: string }).view ?? 'draft') as ServerView;
    const f = await d.viewBytes(view);
    if (!f) return reply.code(404).send({ code: 'no_view', values: { view: view.slice(0, 40) } });
    const bytes = await f.bytes;
    // (the file is what leaves the server: each one is on record, with the view it holds)
    await recordAudit(o.store, { user: req.me!.name, kind: 'export', district: d.id, record: view.slice(0, 40), detail: 'file' });
    return reply.header('Content-Type', 'application/zip').header('X-GridScope-Seq', String(f.seq)).header('Cache-Control', 'no-store').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get('/api/districts/:id/edits', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    return d.eventsAfter(Number((req.query as { after?: string }).after ?? 0) || 0);
  });

  // Open event streams end when the server stops (a client reconnects to the next one).
  const streams = new Set<import('node:http').ServerResponse>();
  app.addHook('preClose', async () => { for (const r of streams) r.end(); });
  app.get('/api/districts/:id/events', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const q = req.query as { after?: string; only?: string };
    const after = Number(req.headers['last-event-id'] ?? q.after ?? d.seq) || 0;
    // ?only=plan,published: a wall that follows the published plan is not sent every edit.
    const only = q.only ? new Set(q.only.split(',')) : null;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', Connection: 'keep-alive' });
    // Only an edit carries an id: Last-Event-ID is the last edit seen, whatever came between.
    const send = (e: DistrictEvent) => {
      if (only && !only.has(e.type)) return;
      res.write(`${e.type === 'edit' ? `id: ${e.data.seq}\n` : ''}event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    };
    res.write(`event: hello\ndata: ${JSON.stringify({ seq: d.seq })}\n\n`);
    for (const e of d.eventsAfter(after)) send({ type: 'edit', data: e });
    const off = d.listen(send);
    const beat = setInterval(() => res.write(': beat\n\n'), 15_000);
    streams.add(res);
    req.raw.on('close', () => { off(); clearInterval(beat); streams.delete(res); });
  });

  app.post('/api/districts/:id/edits', { preHandler: allow('admin', 'planner'), bodyLimit: 32 << 20 }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    let request;
    try { request = editRequest(req.body); } catch (e) {
      if (e instanceof BadRequest) return reply.code(400).send({ code: 'bad_request', values: { message: e.message } });
      throw e;
    }
    const a = await d.edit(req.me!, request);
    return reply.code(a.status).send(a.body);
  });

  app.get('/api/districts/:id/versions', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    return d ? d.versions() : reply;
  });
  app.post('/api/districts/:id/versions', { preHandler: allow('admin', 'planner') }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const name = (req.body as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || !name.trim() || name.length > 200) return reply.code(400).send({ code: 'bad_request', values: { message: 'name: a text of 1–200 characters' } });
    return reply.code(201).send(await d.saveVersion(req.me!, name.trim()));
  });
  app.get('/api/districts/:id/versions/:vid', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const grids = await d.versionGrids((req.params as { vid: string }).vid);
    return grids ?? reply.code(404).send({ code: 'no_version', values: {} });
  });

  // From draft to published plan (src/server/plans.ts): each answer is the book's, its refusals say why.
  const planId = (req: FastifyRequest) => { const n = Number((req.params as { pid: string }).pid); return Number.isSafeInteger(n) && n > 0 ? n : 0; };
  const answer = <T>(reply: FastifyReply, a: import('./plans').Answer<T>, status = 200) => (a.ok ? reply.code(status).send(a.value) : reply.code(a.status).send(a.body));
  const body = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  app.get('/api/districts/:id/published', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    return d ? d.plans.published() : reply;
  });
  app.get('/api/districts/:id/plans', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    return d ? d.plans.plans() : reply;
  });
  app.get('/api/districts/:id/plans/:pid', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    return (await d.plans.plan(planId(req))) ?? reply.code(404).send({ code: 'no_plan', values: {} });
  });
  app.post('/api/districts/:id/plans', { preHandler: allow('admin', 'planner') }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const a = await d.plans.submit(req.me!, body(req));
    if (a.ok) d.tell({ type: 'plan', data: a.value });
    return answer(reply, a, 201);
  });
  app.post('/api/districts/:id/plans/:pid/resubmit', { preHandler: allow('admin', 'planner') }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const a = await d.plans.submit(req.me!, body(req), planId(req));
    if (a.ok) d.tell({ type: 'plan', data: a.value });
    return answer(reply, a);
  });
  app.post('/api/districts/:id/plans/:pid/comments', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    return d ? answer(reply, await d.plans.comment(req.me!, planId(req), body(req)), 201) : reply;
  });
  for (const [route, to] of [['return', 'returned'], ['withdraw', 'withdrawn']] as const) {
    app.post(`/api/districts/:id/plans/:pid/${route}`, { preHandler: anyone }, async (req, reply) => {
      const d = await district(req, reply);
      if (!d) return reply;
      const a = await d.plans.decide(req.me!, planId(req), to, body(req).reason);
      if (a.ok) d.tell({ type: 'plan', data: a.value });
      return answer(reply, a);
    });
  }
  app.post('/api/districts/:id/plans/:pid/approve', { preHandler: allow('admin', 'reviewer') }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const a = await d.plans.approve(req.me!, planId(req), body(req).confirm === true);
    if (!a.ok) return answer(reply, a);
    d.tell({ type: 'plan', data: a.value.plan });
    d.tell({ type: 'published', data: a.value.published });
    return reply.code(201).send(a.value.published);
  });

  // Personal data, unmasked, only for an auditor (or admin) who says why, and only the records asked
  // for: one entry per record (which household, the reason; never its values), all written before the answer.
  app.post('/api/districts/:id/reveal', { preHandler: allow('admin', 'auditor') }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const b = (req.body ?? {}) as { reason?: unknown; records?: unknown };
    if (typeof b.reason !== 'string' || [...b.reason.trim()].length < 4 || b.reason.length > 500) return reply.code(400).send({ code: 'reason_required', values: {} });
    const records = b.records;
    if (!Array.isArray(records) || records.length < 1 || records.length > 200 || !records.every((r) => typeof r === 'string' && r.length >= 1 && r.length <= 64)) {
      return reply.code(400).send({ code: 'bad_request', values: { message: 'records: 1–200 household ids, each a text of 1–64 characters' } });
    }
    const all = d.personal();
    const at = new Map(all.ids.map((id, i) => [id, i]));
    const asked = [...new Set(records as string[])];
    const ids = asked.filter((id) => at.has(id));
    const reason = b.reason.trim();
    // (each with the grid the household is in now: the auditor finds the looks at a grid's people)
    const a = d.session.assignment();
    const wanted = new Set(ids);
    const gridOf = new Map<string, string>();
    a.ids.forEach((id, i) => { if (wanted.has(String(id)) && a.householdGrid[i] >= 0) gridOf.set(String(id), a.grids[a.householdGrid[i]].properties.code); });
    await o.store.tx(async (q) => {
      for (const id of ids) await recordAudit(q, { user: req.me!.name, kind: 'reveal', district: d.id, grids: gridOf.has(id) ? [gridOf.get(id)!] : [], record: id, detail: reason });
    });
    const columns: Record<string, unknown[]> = {};
    for (const [k, values] of Object.entries(all.columns)) columns[k] = ids.map((id) => values[at.get(id)!]);
    const answer: RevealAnswer = { ids, columns, unknown: asked.filter((id) => !at.has(id)) };
    return answer;
  });

  // A file the page made of a district (CSV, GeoJSON, Shapefile, workspace file) is on record too.
  app.post('/api/districts/:id/exported', { preHandler: anyone }, async (req, reply) => {
    const d = await district(req, reply);
    if (!d) return reply;
    const { kind, file } = (req.body ?? {}) as { kind?: unknown; file?: unknown };
    if (typeof kind !== 'string' || !/^[a-z_]{1,30}$/.test(kind)) return reply.code(400).send({ code: 'bad_request', values: { message: 'kind: 1–30 letters a–z or _' } });
    if (file !== undefined && (typeof file !== 'string' || file.length > 200)) return reply.code(400).send({ code: 'bad_request', values: { message: 'file: a file name of at most 200 characters' } });
    await recordAudit(o.store, { user: req.me!.name, kind: 'export', district: d.id, record: kind, detail: file ?? '' });
    return reply.code(204).send();
  });

  // The log, filtered, newest first; as CSV for Excel with format=csv (that download is an export on record;
  // reading the log is not, so that it can be read without growing). No route changes or deletes an entry.
  app.get('/api/audit', { preHandler: allow('admin', 'auditor') }, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const f = auditFilter(query);
    if ('problem' in f) return reply.code(400).send({ code: 'bad_request', values: { message: f.problem } });
    const entries = await listAudit(o.store, f);
    if (query.format !== 'csv') return entries;
    await recordAudit(o.store, { user: req.me!.name, kind: 'export', record: 'audit.csv', detail: new URLSearchParams(query as Record<string, string>).toString().slice(0, 300) });
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    return reply.header('Content-Type', 'text/csv; charset=utf-8').header('Cache-Control', 'no-store')
      .header('Content-Disposition', `attachment; filename="gridscope-audit-${day}.csv"`)
      .send(auditCsv(entries, query.lang === 'en' ? en : zhCN));
  });

  // The console: its files, and its page (marked as served here) for every other path.
  // (index.html never as stored: the page is the marked copy, from the not-found handler below)
  await app.register(fastifyStatic, { root: o.dist, index: false, wildcard: true, allowedPath: (p) => p !== '/index.html' && !p.endsWith('/'), cacheControl: false });
  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/')) return reply.code(404).send({ code: 'no_route', values: {} });
    if (req.method !== 'GET') return reply.code(404).send();
    return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(index);
  });
  app.setErrorHandler(async (e: Error & { statusCode?: number }, req, reply) => {
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (status === 500) console.error(`gridscope: ${req.method} ${req.url}: ${e.stack ?? e.message}`);
    return reply.code(status).send({ code: status === 413 ? 'too_large' : status === 429 ? 'too_many' : status === 500 ? 'server_error' : 'bad_request', values: { message: status === 500 ? '' : e.message } });
  });
  return { app, accounts, districts };
}
