// The plans panel's decisions as each account sees them (rendered to markup, no browser): a
// stale plan says it must be brought up to date and cannot be approved; new gaps need the
// box ticked; nobody decides their own plan; the author may withdraw or resubmit; a newer
// revision than the one on the map is opened before any decision.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { initI18n } from '../../src/i18n';
import { PlansPanel } from '../../src/ui/PlansPanel';
import type { ServerHost } from '../../src/ui/ServerPanel';
import type { Me, PlanDetail, ServerView } from '../../src/server/api';
import type { PlanData } from '../../src/ui/plans';

initI18n('zh-CN');

const plan = (over: Partial<PlanDetail> = {}): PlanDetail => ({
  id: 4, number: '2026-004', author: 'zhang', note: '合并两格', scope: [], status: 'submitted', revision: 1, base: 1, effective: '2026-12-08', submittedAt: 0,
  codes: ['370705001002001'], renumber: [], decidedBy: null, decidedAt: null, reason: null, published: null, stale: false, after: [],
  findings: { gaps: 0, overlaps: 0, newGaps: 0, newOverlaps: 0 }, comments: [], ...over,
});

function render(me: Me, view: ServerView, open: PlanDetail | null, over: Partial<PlanData> = {}) {
  const host: ServerHost = { me, districts: [], current: 'd1', view, onOpen: () => {}, onLogout: () => {}, onDistricts: async () => [] };
  const data: PlanData = { plans: open ? [open] : [], published: [], open: view.startsWith('plan:') ? open : null, shownRevision: open?.revision ?? null, own: [], error: null, refresh: () => {}, ...over };
  const html = renderToStaticMarkup(createElement(PlansPanel, { host, data, onComparison: () => {}, onFly: () => {}, onPickPin: () => {}, picking: false, onClose: () => {} }));
  const button = (id: string) => new RegExp(`<button[^>]*data-testid="${id}"[^>]*>`).exec(html)?.[0] ?? null;
  return { html, has: (id: string) => html.includes(`data-testid="${id}"`), button, disabled: (id: string) => / disabled=""/.test(button(id) ?? '') };
}

const reviewer: Me = { name: 'wang', role: 'reviewer', scope: [] };
const author: Me = { name: 'zhang', role: 'planner', scope: ['370705001'] };

describe('the plans panel', () => {
  it('lets a reviewer approve or return a plan with nothing against it', () => {
    const r = render(reviewer, 'plan:4', plan());
    expect(r.has('plan-decide')).toBe(true);
    expect(r.disabled('approve')).toBe(false);
    expect(r.has('approve-confirm')).toBe(false);
    expect(r.disabled('return')).toBe(true); // no reason yet
    expect(r.has('plan-author')).toBe(false);
    expect(r.html).toContain('审批单（打印/PDF）');
    expect(r.html).toContain('href="/sheet?district=d1&amp;plan=4"');
  });

  it('says a stale plan must be brought up to date, and does not let it be approved', () => {
    const r = render(reviewer, 'plan:4', plan({ stale: true }));
    expect(r.has('plan-stale')).toBe(true);
    expect(r.html).toContain('要由提交人更新后才能批准');
    expect(r.has('stale-badge')).toBe(true);
    expect(r.disabled('approve')).toBe(true);
  });

  it('asks for the new gaps and overlaps to be confirmed before approving', () => {
    const r = render(reviewer, 'plan:4', plan({ findings: { gaps: 3, overlaps: 1, newGaps: 2, newOverlaps: 1 } }));
    expect(r.has('approve-confirm')).toBe(true);
    expect(r.html).toContain('我已看到方案新增的 2 处缝隙、1 处重叠，仍然批准');
    expect(r.disabled('approve')).toBe(true); // until ticked
  });

  it('gives no decision on one\'s own plan, but withdraw and (sent back or stale) resubmit', () => {
    const own = render({ ...reviewer, name: 'zhang', role: 'admin' }, 'plan:4', plan());
    expect(own.has('plan-decide')).toBe(false);
    expect(own.has('withdraw')).toBe(true);
    expect(own.has('resubmit')).toBe(false); // under review, up to date: nothing to bring up to date
    const back = render(author, 'plan:4', plan({ status: 'returned', reason: '留了缝隙', decidedBy: 'wang' }));
    expect(back.has('resubmit')).toBe(true);
    expect(back.html).toContain('wang 退回：留了缝隙');
    expect(render(author, 'plan:4', plan({ stale: true })).has('resubmit')).toBe(true);
  });

  it('opens a newer revision before deciding on it', () => {
    const r = render(reviewer, 'plan:4', plan({ revision: 2 }), { shownRevision: 1 });
    expect(r.has('plan-updated')).toBe(true);
    expect(r.has('plan-decide')).toBe(false);
  });

  it('shows the author their plans under review on the draft, and the submit form to planners only', () => {
    const mine = plan({ status: 'returned', reason: '留了缝隙', decidedBy: 'wang', comments: [{ id: 1, plan: 4, revision: 1, by: 'wang', at: 0, text: '并入 001', grid: '370705001002001', lonLat: null }] });
    const r = render(author, 'draft', null, { own: [mine], plans: [mine] });
    expect(r.has('own-plan')).toBe(true);
    expect(r.has('plan-submit')).toBe(true);
    expect(r.html).toContain('wang（网格 370705001002001）：并入 001');
    expect(render(reviewer, 'draft', null).has('plan-submit')).toBe(false);
    expect(render({ name: 'zhao', role: 'operator', scope: [] }, 'published', null).has('plan-submit')).toBe(false);
  });
});
