// The command line's report is written in pieces (jsonChunks): the same text as JSON.stringify.
import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../scripts/cliWrite';

describe('jsonChunks', () => {
  it('gives JSON.stringify’s text for what a report holds, odd values included', () => {
    const values: unknown[] = [
      { version: 2, summary: { a: 1, b: undefined, c: [1, 'x'] }, findings: [{ kind: 'gap', ids: ['G1'], measure: { area_m2: 1.5 }, geometry: null }, undefined, () => 1], skipped: [], when: new Date(0) },
      [1, undefined, { x: undefined, y: [undefined, NaN, -0] }, 'é"\n\u2028'],
      { nested: { deeper: { list: [{ a: [1, 2] }] } }, f: () => 1, s: Symbol('s'), list: [1] },
      'text', 3, null, [], {},
    ];
    for (const v of values) expect([...jsonChunks(v)].join('')).toBe(JSON.stringify(v));
    expect([...jsonChunks(values[0])].length).toBeGreaterThan(5); // in pieces, not one string
  });
});
