// Scores that round a defect away (issue 21, item 8): a score below 100 % never reads 100 %,
// in the report (its 6 digits), in the panels and on the wall (one formatter), in the CLI.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { finishReport } from '../../src/checks/finish';
import { percentText, SCORE_DIGITS } from '../../src/ui/format';

const parts = (landBad: number, householdsOk: number) => finishReport({
  grids: [{ code: '370705001001001', name: '', kind: 'base', households: 61_867, buildings: 1, residents: 1, band: null, band_status: 'none' }],
  findings: [], skipped: [], repaired: [], buildings: 1, cleanBuildings: 1, households: 61_867, householdsOk, peopleOk: 61_867, residents: 61_867,
  residential: 0, emptyBuildings: 0, codesBad: 0, shapeBad: 0, boundaries: 0, landBad, landArea: 82_626_633.8, slivers: { count: 0, area_m2: 0 },
});

describe('scores', () => {
  it('stay below 1 in the report when anything is wrong, however little', () => {
    // 20 m² of gap in a district of 82.6 km²: 0.99999976 is not 1 at 6 digits either
    expect(parts(20, 61_867).summary.scores.land).toBeLessThan(1);
    expect(parts(0, 61_867).summary.scores.land).toBe(1);
    expect(parts(0, 61_865).summary.scores.households).toBeCloseTo(0.999968, 6);
  });

  it('never read 100 % below 100 %, nor 0 % above 0', () => {
    expect(percentText(0.999968, SCORE_DIGITS)).toBe('99.99%');
    expect(percentText(0.999999, 1)).toBe('99.9%');
    expect(percentText(0.999696, 1)).toBe('99.9%');
    expect(percentText(1, SCORE_DIGITS)).toBe('100.00%');
    expect(percentText(0.98765, SCORE_DIGITS)).toBe('98.77%');
    expect(percentText(0.0000001, SCORE_DIGITS)).toBe('0.01%');
    expect(percentText(0, SCORE_DIGITS)).toBe('0.00%');
  });

  it('print as the report has them in the CLI: the demo’s 2 dangling households of 61,867 are not 100.00 %', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/check.ts', ...['grids', 'boundaries', 'buildings', 'households'].flatMap((l) => [`--${l}`, `data/demo/${l}.fgb`])], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.trim().startsWith('households'))!;
    expect(line).toContain('99.99%');
    expect(r.stdout.split('\n').find((l) => l.trim().startsWith('land'))).toContain('99.97%');
  }, 60_000);
});
