// Review and approval in words: which view is open, every refusal of the plan routes said (in
// both languages, with its values), a plan's comments placed on the map, the default effective date.
import { describe, expect, it } from 'vitest';
import i18next, { type TFunction } from 'i18next';
import { zhCN } from '../../src/i18n/zh-CN';
import { en } from '../../src/i18n/en';
import { ServerError } from '../../src/ui/server';
import { serverMessage } from '../../src/ui/serverText';
import { commentPins, tomorrow, viewWords, type PlanData } from '../../src/ui/plans';
import type { PlanDetail, PublishedInfo } from '../../src/server/api';
import type { District } from '../../src/domain/district';

async function tOf(lng: 'zh-CN' | 'en'): Promise<TFunction> {
  const i = i18next.createInstance();
  await i.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, fallbackLng: 'zh-CN', interpolation: { escapeValue: false } });
  return i.t;
}

const published = (number: number): PublishedInfo => ({ number, plan: null, planNumber: null, approvedBy: 'admin', approvedAt: 0, effective: '2026-12-01', note: '', renumber: [], lifecycle: [] });
const plan: PlanDetail = {
  id: 3, number: '2026-003', author: 'zhang', note: '', scope: [], status: 'submitted', revision: 1, base: 2, effective: '2026-12-08', submittedAt: 0,
  codes: ['370705001002001'], renumber: [], decidedBy: null, decidedAt: null, reason: null, published: null, stale: false, after: [],
  findings: { gaps: 0, overlaps: 0, newGaps: 0, newOverlaps: 0 },
  comments: [
    { id: 1, plan: 3, revision: 1, by: 'wang', at: 0, text: '边界再往东', grid: '370705001002001', lonLat: [119.1, 36.7] },
    { id: 2, plan: 3, revision: 1, by: 'wang', at: 0, text: '这格太大', grid: '370705001002001', lonLat: null },
    { id: 3, plan: 3, revision: 1, by: 'wang', at: 0, text: '整体可以', grid: null, lonLat: null },
  ],
};
const data = (over: Partial<PlanData> = {}): PlanData => ({ plans: [plan], published: [published(1), published(2)], open: null, shownRevision: null, own: [], error: null, refresh: () => {}, ...over });

describe('review and approval in words', () => {
  it('says which view is open', async () => {
    const t = await tOf('zh-CN');
    expect(viewWords('draft', data(), t)).toBe('工作草案');
    expect(viewWords('published', data(), t)).toBe('已发布 第2版（只读）');
    expect(viewWords('published:1', data(), t)).toBe('已发布 第1版（只读）');
    expect(viewWords('plan:3', data(), t)).toBe('方案 2026-003（只读，待审核）');
    expect(viewWords('plan:3', data({ open: { ...plan, status: 'returned' } }), t)).toBe('方案 2026-003（只读，已退回）');
    expect(viewWords('plan:9', data(), t)).toBe('方案 #9（只读）');
    const e = await tOf('en');
    expect(viewWords('published:1', data(), e)).toBe('Published version 1 (read-only)');
    expect(viewWords('plan:3', data(), e)).toBe('Plan 2026-003 (read-only, awaiting review)');
  });

  it('says why each plan route refused, in both languages', async () => {
    for (const lng of ['zh-CN', 'en'] as const) {
      const t = await tOf(lng);
      const fallback = t('server.errors.server_refused', { status: 422 });
      for (const code of ['no_changes', 'plan_stale', 'plan_findings', 'own_plan', 'not_author', 'plan_closed', 'not_submitted', 'no_plan', 'reason_required', 'no_view', 'forbidden', 'out_of_scope', 'bad_request']) {
        const text = serverMessage(new ServerError(422, code, { gaps: 2, overlaps: 1, grid: 'G1', message: 'effective', view: 'plan:9' }), t);
        expect(text, `${lng} ${code}`).not.toBe(fallback);
        expect(text, `${lng} ${code}`).not.toMatch(/\{\{|plans\.|server\./);
      }
      expect(serverMessage(new ServerError(409, 'plan_findings', { gaps: 2, overlaps: 1 }), t)).toMatch(/2.*1/);
    }
    expect(serverMessage(new ServerError(422, 'no_changes'), await tOf('zh-CN'))).toContain('没有可提交的改动');
  });

  it('pins a comment where it was put, else in the middle of its grid; one with neither has no pin', async () => {
    const t = await tOf('zh-CN');
    const square = { type: 'Polygon' as const, coordinates: [[[119, 36], [119.2, 36], [119.2, 36.2], [119, 36.2], [119, 36]]] };
    const d = { grids: [{ type: 'Feature', geometry: square, properties: { code: '370705001002001' } }] } as unknown as District;
    const pins = commentPins(data({ open: plan }), d, t);
    expect(pins.map((p) => [p.id, p.label])).toEqual([[1, '1'], [2, '2']]);
    expect(pins[0].at).toEqual([119.1, 36.7]);
    expect(pins[1].at[0]).toBeCloseTo(119.1, 6);
    expect(pins[1].at[1]).toBeCloseTo(36.1, 6);
    expect(pins[0].text).toBe('wang（网格 370705001002001）：边界再往东');
    // the draft view: the author's own plans' comments (none open, none of theirs: no pins)
    expect(commentPins(data(), d, t)).toEqual([]);
    expect(commentPins(data({ own: [plan] }), d, t)).toHaveLength(2);
  });

  it('takes effect tomorrow unless the planner picks another day (across a month and a year)', () => {
    expect(tomorrow(new Date(2026, 11, 7, 23, 59))).toBe('2026-12-08');
    expect(tomorrow(new Date(2026, 11, 31, 10))).toBe('2027-01-01');
    expect(tomorrow(new Date(2028, 1, 28))).toBe('2028-02-29');
  });
});
