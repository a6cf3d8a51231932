// Accounts and sessions: passwords hashed with scrypt (memory-hard: N=2^15, r=8 → 32 MiB a
// try), compared in constant time; a session is a random token in an HttpOnly, SameSite=Strict
// cookie (Secure over HTTPS), stored only as its SHA-256, ending after 8 hours without use or
// at logout. Failed logins are counted per account name, and per address by the route's limit.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { ROLES, type Me, type NewUser, type Role, type User } from './api';
import type { Sql } from './store';

const scryptAsync = promisify(scrypt) as (p: string, s: Buffer, n: number, o: object) => Promise<Buffer>;
const N = 1 << 15, R = 8, P = 1, LEN = 32;
const MAXMEM = 64 * 1024 * 1024;

export const SESSION_COOKIE = 'gs_session';
export const SESSION_MS = 8 * 3600_000;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password.normalize('NFC'), salt, LEN, { N, r: R, p: P, maxmem: MAXMEM });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = await scryptAsync(password.normalize('NFC'), Buffer.from(salt, 'base64'), want.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** What a new account's fields must be; a message naming the field when not. */
export function userProblem(u: Partial<NewUser>, partial = false): string | null {
  if (!partial || u.name !== undefined) {
    if (typeof u.name !== 'string' || !/^[\p{L}\p{N}_.-]{1,40}$/u.test(u.name)) return 'name: 1–40 letters, digits, _ . -';
  }
  if (!partial || u.password !== undefined) {
    if (typeof u.password !== 'string' || [...u.password].length < 8 || u.password.length > 200) return 'password: at least 8 characters';
  }
  if (!partial || u.role !== undefined) {
    if (!(ROLES as readonly string[]).includes(u.role as string)) return `role: one of ${ROLES.join(', ')}`;
  }
  if (u.scope !== undefined && (!Array.isArray(u.scope) || u.scope.length > 200 || !u.scope.every((s) => typeof s === 'string' && /^\d{9}(\d{3})?$/.test(s)))) {
    return 'scope: street (9 digits) or community (12 digits) codes';
  }
  return null;
}

interface UserRow { name: string; role: Role; scope: string[] | string; password: string; created_at: string | number; disabled: boolean }

const userOf = (r: UserRow): User => ({
  name: r.name, role: r.role, scope: typeof r.scope === 'string' ? JSON.parse(r.scope) : r.scope, createdAt: Number(r.created_at), disabled: r.disabled,
});

export class Accounts {
  /** failed logins per account name: [count, first failure] */
  private failures = new Map<string, [number, number]>();

  constructor(private readonly db: Sql) {}

  async list(): Promise<User[]> {
    return (await this.db.query<UserRow>('SELECT * FROM gs_users ORDER BY name')).map(userOf);
  }

  async get(name: string): Promise<User | null> {
    const [r] = await this.db.query<UserRow>('SELECT * FROM gs_users WHERE name = $1', [name]);
    return r ? userOf(r) : null;
  }

  /** A new account; false when the name is taken (nothing changed). */
  async add(u: NewUser): Promise<boolean> {
    const rows = await this.db.query('INSERT INTO gs_users (name, role, scope, password, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING name',
      [u.name, u.role, JSON.stringify(u.scope ?? []), await hashPassword(u.password), Date.now()]);
    return rows.length === 1;
  }

  /** Changes an account; false when there is none; 'last_admin' when it would leave no administrator able to log in. */
  async update(name: string, u: Partial<NewUser> & { disabled?: boolean }): Promise<boolean | 'last_admin'> {
    const cur = await this.get(name);
    if (!cur) return false;
    if (cur.role === 'admin' && !cur.disabled && (u.disabled || (u.role && u.role !== 'admin'))) {
      const admins = (await this.list()).filter((x) => x.role === 'admin' && !x.disabled);
      if (admins.length <= 1) return 'last_admin';
    }
    const password = u.password !== undefined ? await hashPassword(u.password) : null;
    await this.db.query('UPDATE gs_users SET role = $2, scope = $3, disabled = $4, password = COALESCE($5, password) WHERE name = $1',
      [name, u.role ?? cur.role, JSON.stringify(u.scope ?? cur.scope), u.disabled ?? cur.disabled, password]);
    // A changed password or a disabled account ends its sessions.
    if (password || u.disabled) await this.db.query('DELETE FROM gs_sessions WHERE user_name = $1', [name]);
    return true;
  }

  /** A session token for the name and password, or why not ('bad_login', 'too_many'). */
  async login(name: string, password: string): Promise<{ token: string; me: Me } | { refused: 'bad_login' | 'too_many' }> {
    const f = this.failures.get(name);
    if (f && f[0] >= 5 && Date.now() - f[1] < 15 * 60_000) return { refused: 'too_many' };
    const [r] = await this.db.query<UserRow>('SELECT * FROM gs_users WHERE name = $1', [name]);
    // (a hash is computed for unknown names too: the answer takes as long either way)
    const ok = await checkPassword(password, r?.password ?? DUMMY);
    if (!r || !ok || r.disabled) {
      const now = Date.now();
      this.failures.set(name, f && now - f[1] < 15 * 60_000 ? [f[0] + 1, f[1]] : [1, now]);
      return { refused: 'bad_login' };
    }
    this.failures.delete(name);
    const token = randomBytes(32).toString('base64url');
    await this.db.query('DELETE FROM gs_sessions WHERE expires_at < $1', [Date.now()]);
    await this.db.query('INSERT INTO gs_sessions (token_hash, user_name, expires_at) VALUES ($1, $2, $3)', [tokenHash(token), r.name, Date.now() + SESSION_MS]);
    const u = userOf(r);
    return { token, me: { name: u.name, role: u.role, scope: u.scope } };
  }

  /** Who holds this session token (its end moved on: 8 hours from now), or null. */
  async session(token: string | undefined): Promise<Me | null> {
    if (!token || token.length > 100) return null;
    const [r] = await this.db.query<UserRow & { expires_at: string }>(
      'SELECT u.*, s.expires_at FROM gs_sessions s JOIN gs_users u ON u.name = s.user_name WHERE s.token_hash = $1', [tokenHash(token)]);
    if (!r || Number(r.expires_at) < Date.now() || r.disabled) return null;
    // (moved on at most once a minute: a burst of requests does not write each time)
    if (Number(r.expires_at) - Date.now() < SESSION_MS - 60_000) await this.db.query('UPDATE gs_sessions SET expires_at = $2 WHERE token_hash = $1', [tokenHash(token), Date.now() + SESSION_MS]);
    const u = userOf(r);
    return { name: u.name, role: u.role, scope: u.scope };
  }

  async logout(token: string | undefined) {
    if (token) await this.db.query('DELETE FROM gs_sessions WHERE token_hash = $1', [tokenHash(token)]);
  }
}

const tokenHash = (t: string) => createHash('sha256').update(t).digest('hex');
const DUMMY = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(LEN).toString('base64')}`;
