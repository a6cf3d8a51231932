// What the console knows of a server district's plans and published versions: the lists, the
// plan open in a plan view (plan:P) with its comments, the author's own plans under review or
// sent back (their comments pinned on the draft), fetched again when the server says a plan or
// a publication changed. Also which view is open, said in words.
import { useCallback, useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { centroid } from '@turf/turf';
import type { PlanComment, PlanDetail, PlanInfo, PublishedInfo, ServerView } from '../server/api';
import type { District } from '../domain/district';
import type { MapPin } from '../map/pins';
import { gridIndex } from '../map/state';
import { getPlan, listPlans, listPublished } from './server';
import { serverMessage } from './serverText';
import type { ServerHost } from './ServerPanel';

export interface PlanData {
  plans: PlanInfo[] | null;
  published: PublishedInfo[] | null;
  /** the plan this view shows (plan:P) */
  open: PlanDetail | null;
  /** the plan's revision when this view was opened (its grids on the map are that revision's) */
  shownRevision: number | null;
  /** the planner's own plans that are under review or were sent back (the draft view) */
  own: PlanDetail[];
  error: string | null;
  refresh: () => void;
}

/** The plan number of a view `plan:P`, else null. */
export function planOfView(view: ServerView): number | null {
  return view.startsWith('plan:') ? Number(view.slice(5)) : null;
}

/** The published version's number of a view `published:N`, else null. */
export function publishedOfView(view: ServerView): number | null {
  return view.startsWith('published:') ? Number(view.slice(10)) : null;
}

export function usePlanData(host: ServerHost | undefined, t: TFunction): PlanData {
  const [state, setState] = useState<Omit<PlanData, 'refresh'>>({ plans: null, published: null, open: null, shownRevision: null, own: [], error: null });
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const id = host?.current ?? null;
  const view = host?.view ?? 'draft';
  const me = host?.me.name ?? '';
  useEffect(() => {
    if (!id) return;
    let current = true;
    const planId = planOfView(view);
    (async () => {
      const [plans, published] = await Promise.all([listPlans(id), listPublished(id)]);
      const open = planId !== null ? await getPlan(id, planId) : null;
      // The author sees the comments on their plans where they are, on the draft they go on editing.
      const mine = view === 'draft' ? plans.filter((p) => p.author === me && (p.status === 'submitted' || p.status === 'returned')) : [];
      const own = await Promise.all(mine.map((p) => getPlan(id, p.id)));
      if (current) setState((s) => ({ plans, published, open, shownRevision: s.shownRevision ?? open?.revision ?? null, own, error: null }));
    })().catch((e: unknown) => { if (current) setState((s) => ({ ...s, error: serverMessage(e, t) })); });
    return () => { current = false; };
  }, [id, view, me, tick, t]);
  return { ...state, refresh };
}

/** Where a comment sits on the map: its own place, else the middle of its grid (if the district has it). */
export function commentAt(c: PlanComment, d: District): [number, number] | null {
  if (c.lonLat) return c.lonLat;
  const i = c.grid ? gridIndex(d.grids, c.grid) : -1;
  if (i < 0) return null;
  const p = centroid(d.grids[i].geometry).geometry.coordinates;
  return [p[0], p[1]];
}

/** The pins of the comments shown in this view: the open plan's, or (the draft) the author's own plans' under review. */
export function commentPins(data: PlanData, d: District, t: TFunction): MapPin[] {
  const plans = data.open ? [data.open] : data.own;
  const pins: MapPin[] = [];
  for (const p of plans) {
    p.comments.forEach((c, k) => {
      const at = commentAt(c, d);
      if (at) pins.push({ id: c.id, at, label: String(k + 1), text: commentText(c, t, plans.length > 1 ? t('plans.numbered', { number: p.number }) : null) });
    });
  }
  return pins;
}

/** A comment as a line: who, on which grid, what (and of which plan, where several are pinned). */
export function commentText(c: PlanComment, t: TFunction, plan: string | null = null): string {
  const who = c.grid ? t('plans.commentOnGrid', { by: c.by, grid: c.grid }) : t('plans.commentBy', { by: c.by });
  return `${plan ? `${plan} · ` : ''}${who}${c.text}`;
}

/** A time as the office reads it: YYYY-MM-DD HH:mm (local). */
export function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Tomorrow's date, YYYY-MM-DD (local): a plan's effective date unless the planner picks another. */
export function tomorrow(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Which grids are on the map, in words: the working draft, a published version (read-only), a plan (read-only, its status). */
export function viewWords(view: ServerView, data: PlanData, t: TFunction): string {
  if (view === 'draft') return t('plans.view.draft');
  const n = view === 'published' ? data.published?.at(-1)?.number ?? null : publishedOfView(view);
  if (n !== null) return t('plans.view.published', { n });
  if (view === 'published') return t('plans.view.publishedLatest');
  const id = planOfView(view);
  const p = data.open ?? data.plans?.find((x) => x.id === id);
  return p ? t('plans.view.plan', { number: p.number, status: t(`plans.status.${p.status}`) }) : t('plans.view.planLoading', { id });
}

/**
 * A comparison asked for before its view was open (compare published N with M: N is opened
 * first); the panel of the console that opens N runs it. (ServerApp mounts a new console per view.)
 */
let pendingCompare: { district: string; view: ServerView; with: string } | null = null;
export function askCompare(p: typeof pendingCompare) { pendingCompare = p; }
export function takeCompare(district: string | null, view: ServerView): string | null {
  if (!pendingCompare || pendingCompare.district !== district || pendingCompare.view !== view) return null;
  const w = pendingCompare.with;
  pendingCompare = null;
  return w;
}
export function comparePending(district: string | null, view: ServerView): boolean {
  return pendingCompare !== null && pendingCompare.district === district && pendingCompare.view === view;
}
