// The report's order of findings: sortFindings (fast, for a million findings) gives exactly
// the order of compareFindings (rule, kind, then ids by locale) on ids of every shape a roster
// has: digits, codes with capitals, mixed case, punctuation, Chinese names, missing ids.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { compareFindings, sortFindings } from '../../src/checks/finish';
import { FINDING_KINDS, FINDING_RULE, type Finding } from '../../src/checks/report';

const SHAPES = [
  (r: () => number) => String(Math.floor(r() * 2000)),
  (r: () => number) => `G${String(Math.floor(r() * 500)).padStart(4, '0')}`,
  (r: () => number) => `b${Math.floor(r() * 300)}`,
  (r: () => number) => ['Ab', 'aB', 'ab', 'AB', 'a-1', 'a_1', 'A1', 'a1', '1a'][Math.floor(r() * 9)],
  (r: () => number) => ['张三', '李四', '王五', '第3网格', '第10网格', '３号楼'][Math.floor(r() * 6)],
  (r: () => number) => `3701020010${String(Math.floor(r() * 40)).padStart(2, '0')}`,
];

function findings(seed: string, n: number, shapes: number[]): Finding[] {
  const r = seedrandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const kind = FINDING_KINDS[Math.floor(r() * FINDING_KINDS.length)];
    const pick = () => SHAPES[shapes[Math.floor(r() * shapes.length)]](r);
    const ids = r() < 0.05 ? [] : r() < 0.5 ? [pick()] : [pick(), pick()];
    return { kind, rule: FINDING_RULE[kind], ids, measure: { count: i }, geometry: null } as Finding;
  });
}

describe('the order of findings', () => {
  const cases: [string, number[]][] = [
    ['digits only', [0]], ['upper-case codes', [1, 5]], ['lower-case ids', [2]],
    ['mixed case and punctuation', [3]], ['Chinese names', [4]], ['all shapes together', [0, 1, 2, 3, 4, 5]],
  ];
  for (const [name, shapes] of cases) {
    it(`is compareFindings' order, ties kept in input order: ${name}`, () => {
      const list = findings(name, 3000, shapes);
      const expected = [...list].sort(compareFindings);
      sortFindings(list);
      expect(list.map((f) => f.measure.count)).toEqual(expected.map((f) => f.measure.count));
    });
  }
});
