// What a client sends, checked before anything acts on it: an edit request is rebuilt from its
// known fields only (numbers finite, lists bounded), so a crafted body can neither reach the
// planner with odd shapes nor carry fields of its own.
import type { Position } from 'geojson';
import type { EditOp, XY } from '../plan/types';
import type { GridFeature } from '../domain/types';
import { isGridFeature } from '../store/checkStored';
import type { EditRequest } from './api';

export class BadRequest extends Error {}

const fail = (what: string): never => { throw new BadRequest(what); };
const obj = (v: unknown, what: string): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : fail(`${what}: not an object`));
const str = (v: unknown, what: string, max = 200): string => (typeof v === 'string' && v.length <= max ? v : fail(`${what}: not a text of up to ${max} characters`));
const optStr = (v: unknown, what: string) => (v === undefined ? undefined : str(v, what));
const num = (v: unknown, what: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(`${what}: not a number`));
const xy = (v: unknown, what: string): XY => (Array.isArray(v) && v.length === 2 ? [num(v[0], what), num(v[1], what)] : fail(`${what}: not [x, y]`));
const list = <T>(v: unknown, what: string, min: number, max: number, each: (x: unknown, what: string) => T): T[] =>
  (Array.isArray(v) && v.length >= min && v.length <= max ? v.map((x, i) => each(x, `${what}[${i}]`)) : fail(`${what}: not a list of ${min}–${max}`));
const positions = (v: unknown, what: string, min: number): Position[] => list(v, what, min, 20_000, xy);

export function editRequest(body: unknown): EditRequest {
  const b = obj(body, 'body');
  const base = b.base;
  if (typeof base !== 'number' || !Number.isInteger(base) || base < 0) fail('base: not the number of an edit');
  return { op: editOp(b.op), base: base as number };
}

export function editOp(v: unknown): EditOp {
  const o = obj(v, 'op');
  switch (o.type) {
    case 'move_vertex': return { type: o.type, from: xy(o.from, 'from'), to: xy(o.to, 'to'), ...alone(o) };
    case 'insert_vertex': return { type: o.type, at: xy(o.at, 'at') };
    case 'remove_vertex': return { type: o.type, at: xy(o.at, 'at'), ...alone(o) };
    case 'split': return { type: o.type, code: str(o.code, 'code'), line: positions(o.line, 'line', 2) };
    case 'merge': return { type: o.type, codes: list(o.codes, 'codes', 2, 1000, str) };
    case 'draw': {
      if (o.kind !== 'base' && o.kind !== 'dedicated') fail('kind: base or dedicated');
      const dedicated = optStr(o.dedicated_type, 'dedicated_type');
      return {
        type: o.type, ring: positions(o.ring, 'ring', 3), kind: o.kind as 'base' | 'dedicated', community_code: str(o.community_code, 'community_code'),
        ...(dedicated !== undefined ? { dedicated_type: dedicated } : {}), ...(o.on_top !== undefined ? { on_top: o.on_top === true } : {}),
      };
    }
    case 'delete': return { type: o.type, code: str(o.code, 'code') };
    case 'hand_buildings': return { type: o.type, buildings: list(o.buildings, 'buildings', 1, 100_000, str), to: str(o.to, 'to') };
    case 'lock': return { type: o.type, codes: list(o.codes, 'codes', 1, 10_000, str), locked: o.locked === true };
    case 'renumber': return { type: o.type, community_code: str(o.community_code, 'community_code') };
    case 'restore': return { type: o.type, version: str(o.version, 'version') };
    case 'proposal': {
      if (o.kind !== 'split' && o.kind !== 'merge' && o.kind !== 'repair') fail('kind: split, merge or repair');
      const after = list(o.after, 'after', 0, 10_000, (g, what) => (isGridFeature(g) ? grid(g as GridFeature) : fail(`${what}: not a grid`)));
      return { type: o.type, kind: o.kind as 'split' | 'merge' | 'repair', before: list(o.before, 'before', 0, 10_000, str), after };
    }
    case 'undo': {
      if (o.of !== undefined && (typeof o.of !== 'number' || !Number.isInteger(o.of) || o.of < 1)) fail('of: not the number of an edit');
      return { type: 'undo', ...(o.of !== undefined ? { of: o.of as number } : {}) };
    }
    default: return fail(`op.type: ${String(o.type).slice(0, 40)} is not an edit`);
  }
}

const alone = (o: Record<string, unknown>) => (o.alone !== undefined ? { alone: str(o.alone, 'alone') } : {});

/** A proposed grid: its geometry and plain properties (text, numbers, booleans, null) only. */
function grid(g: GridFeature): GridFeature {
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(g.properties)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) props[k] = v;
  }
  return { type: 'Feature', properties: props as unknown as GridFeature['properties'], geometry: g.geometry };
}
