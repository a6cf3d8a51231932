// Review and approval on the office server: the working draft submitted for review, the plans
// (status, stale or not), a plan open for review — its comparison with the published version it
// was drawn against, the coverage findings after it, the comments pinned on the map, approve or
// send back, and for its author withdraw or bring up to date — and the published versions,
// each opened read-only or compared with another.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { EDITS, type PlanComment, type PlanDetail, type PlanInfo, type PublishedInfo, type ServerView } from '../server/api';
import type { Comparison } from '../plan/compare';
import type { PlanScores } from '../plan/scores';
import { SidePanel } from './SidePanel';
import { Scores } from './ProposalSection';
import { compareWithVersion } from './loadDistrict';
import { approvePlan, commentPlan, resubmitPlan, returnPlan, submitPlan, withdrawPlan } from './server';
import { serverMessage } from './serverText';
import type { ServerHost } from './ServerPanel';
import { askCompare, commentText, planOfView, publishedOfView, stamp, takeCompare, tomorrow, viewWords, type PlanData } from './plans';

type Compared = Comparison & { scores: { before: PlanScores; after: PlanScores } };
type Notice = { text: string; error: boolean } | null;
/** Where a comment is to go: the place clicked on the map, and the grid there. */
export type PinSpot = { at: [number, number]; grid: string | null };

interface Props {
  host: ServerHost;
  data: PlanData;
  /** a comparison shown (its outlines on the map), or none */
  onComparison: (c: Comparison | null) => void;
  /** the map flies to a comment and shows its text */
  onFly: (c: PlanComment) => void;
  /** the next map click places a comment (null: stop waiting for one) */
  onPickPin: (pick: ((spot: PinSpot) => void) | null) => void;
  picking: boolean;
  onClose: () => void;
}

export function PlansPanel(p: Props) {
  const { t } = useTranslation();
  const { host, data } = p;
  const view = host.view;
  const planId = planOfView(view);
  return (
    <SidePanel title={t('plans.title')} testId="plans-panel" className="plans-panel" onClose={p.onClose}>
      <p className="muted" data-testid="plans-view">{viewWords(view, data, t)}</p>
      {data.error && <p className="edit-notice error" role="alert" data-testid="plans-error">{data.error}</p>}
      {planId !== null && data.open && <PlanReview {...p} plan={data.open} />}
      {planId !== null && !data.open && !data.error && <p className="muted">{t('plans.loading')}</p>}
      {/* the author's plans under review or sent back first: what to fix, then submitting anew */}
      {view === 'draft' && data.own.map((plan) => (
        <section key={plan.id} data-testid="own-plan">
          <PlanHead plan={plan} t={t} />
          <PlanWork {...p} plan={plan} />
        </section>
      ))}
      {view === 'draft' && EDITS[host.me.role] && <SubmitSection {...p} />}
      <PublishedCompare {...p} />
      <PlanList host={host} plans={data.plans} t={t} />
      <PublishedList host={host} published={data.published} t={t} />
    </SidePanel>
  );
}

/** The working draft's changes (in the planner's scope) submitted for review, with a note and the day they take effect. */
function SubmitSection({ host, data }: Props) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [effective, setEffective] = useState(tomorrow);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const submit = () => {
    setBusy(true);
    submitPlan(host.current!, { note: note.trim(), effective })
      .then((plan) => { setNotice({ text: t('plans.submitted', { number: plan.number }), error: false }); setNote(''); data.refresh(); })
      .catch((e: unknown) => setNotice({ text: serverMessage(e, t), error: true }))
      .finally(() => setBusy(false));
  };
  return (
    <section data-testid="plan-submit">
      <h3>{t('plans.submitTitle')}</h3>
      <p className="muted">{t(host.me.scope.length ? 'plans.submitIntroScope' : 'plans.submitIntro')}</p>
      <label>{t('plans.note')}<textarea value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('plans.notePlaceholder')} data-testid="plan-note" /></label>
      <label>{t('plans.effective')}<input type="date" value={effective} onChange={(e) => setEffective(e.target.value)} required data-testid="plan-effective" /></label>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !effective} onClick={submit} data-testid="plan-submit-button">{t('plans.submit')}</button>
      </div>
      {notice && <NoticeLine notice={notice} testId="plan-submit-notice" />}
    </section>
  );
}

/** A plan's number, status, author, dates, note, and why it was sent back. */
function PlanHead({ plan, t }: { plan: PlanInfo; t: TFunction }) {
  return (
    <>
      <h3>
        {t('plans.numbered', { number: plan.number })} <StatusBadge plan={plan} t={t} />
      </h3>
      <p className="muted" data-testid="plan-meta">
        {t('plans.meta', { author: plan.author, at: stamp(plan.submittedAt), effective: plan.effective, base: plan.base, revision: plan.revision })}
      </p>
      {plan.note && <p data-testid="plan-note-text">{t('plans.noteIs', { note: plan.note })}</p>}
      {plan.status === 'returned' && plan.reason && <p className="plan-reason" data-testid="plan-reason">{t('plans.reasonIs', { by: plan.decidedBy ?? '', reason: plan.reason })}</p>}
      {plan.status === 'approved' && plan.published !== null && <p className="muted">{t('plans.becamePublished', { n: plan.published, by: plan.decidedBy ?? '' })}</p>}
    </>
  );
}

function StatusBadge({ plan, t }: { plan: PlanInfo; t: TFunction }) {
  return (
    <>
      <span className={`plan-status ${plan.status}`} data-testid="plan-status">{t(`plans.status.${plan.status}`)}</span>
      {plan.stale && (plan.status === 'submitted' || plan.status === 'returned') && <span className="stale-badge" data-testid="stale-badge" title={t('plans.staleTitle')}>{t('plans.stale')}</span>}
    </>
  );
}

/** The plan open in this view: what it changes against its base, its findings, its comments and the decisions on it. */
function PlanReview(p: Props & { plan: PlanDetail }) {
  const { t } = useTranslation();
  const { plan, onComparison } = p;
  const [compared, setCompared] = useState<Compared | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    compareWithVersion(`published:${plan.base}`)
      .then((c) => { if (current) { setCompared(c); onComparison(c); } })
      .catch((e: unknown) => { if (current) setError(serverMessage(e, t)); });
    return () => { current = false; };
  }, [plan.id, plan.revision, plan.base]);
  useEffect(() => () => onComparison(null), []);
  const f = plan.findings;
  // The grids on the map are the revision this view was opened with: a newer one is opened again before a decision.
  const outdated = p.data.shownRevision !== null && plan.revision !== p.data.shownRevision;
  return (
    <section data-testid="plan-review">
      <PlanHead plan={plan} t={t} />
      {plan.stale && <p className="edit-notice error" role="alert" data-testid="plan-stale">{t('plans.staleText', { base: plan.base })}</p>}
      {outdated && (
        <p className="edit-notice" role="status" data-testid="plan-updated">
          {t('plans.updated', { n: plan.revision })}{' '}
          <button type="button" className="primary" onClick={() => p.host.onOpen(p.host.current!, p.host.view)} data-testid="plan-reopen">{t('plans.reopen')}</button>
        </p>
      )}
      <h4>{t('plans.changesAgainst', { n: plan.base })}</h4>
      {error && <p className="edit-notice error" role="alert">{error}</p>}
      {!compared && !error && <p className="muted">{t('plans.comparing')}</p>}
      {compared && <ChangeSummary c={compared} t={t} />}
      <p className={f.newGaps + f.newOverlaps > 0 ? 'plan-findings bad' : 'plan-findings'} data-testid="plan-findings">{t('plans.findings', f)}</p>
      {plan.renumber.length > 0 && <p className="muted">{t('plans.renumbered', { list: plan.renumber.map(([a, b]) => `${a} → ${b}`).join(t('server.sep')) })}</p>}
      <PlanWork {...p} plan={plan} outdated={outdated} />
      <p><a href={`/sheet?district=${encodeURIComponent(p.host.current ?? '')}&plan=${plan.id}`} target="_blank" rel="noopener" data-testid="plan-sheet">{t('plans.sheet')}</a></p>
    </section>
  );
}

/** What a comparison says: grids added, removed, reshaped; households and buildings moved from → to; scores before and after. */
function ChangeSummary({ c, t }: { c: Compared; t: TFunction }) {
  const count = (k: string) => c.grids.filter((g) => g.change === k).length;
  return (
    <div className="edit-compare" data-testid="plan-comparison">
      <p>{t('plans.changed', {
        added: count('added'), removed: count('removed'), reshaped: count('reshaped') + count('vertices') + count('renamed'),
        households: c.moves.reduce((s, m) => s + m.households, 0), buildings: c.moves.reduce((s, m) => s + m.buildings, 0),
      })}</p>
      <ul className="plain" data-testid="plan-grids">
        {c.grids.slice(0, 40).map((g) => <li key={g.code}>{g.name}（{g.code}）{t(`edit.change.${g.change}`)} · {t('plans.householdsBeforeAfter', { before: g.households_before, after: g.households_after })}</li>)}
      </ul>
      {c.moves.length > 0 && <h4>{t('edit.movesTitle')}</h4>}
      <ul className="plain" data-testid="plan-moves">
        {c.moves.slice(0, 40).map((m) => <li key={`${m.from}-${m.to}`}>{t('edit.move', { ...m, from: m.from || t('edit.noGrid'), to: m.to || t('edit.noGrid') })}</li>)}
      </ul>
      <Scores before={c.scores.before} after={c.scores.after} />
    </div>
  );
}

/** A plan's comments (a click flies the map there), adding one pinned on the map, and the decisions this account may make on it. */
function PlanWork({ host, data, plan, onFly, onPickPin, picking, outdated = false }: Props & { plan: PlanDetail; outdated?: boolean }) {
  const { t } = useTranslation();
  const me = host.me;
  const author = plan.author === me.name;
  const reviewer = me.role === 'reviewer' || me.role === 'admin';
  const open = plan.status === 'submitted' || plan.status === 'returned';
  const decide = reviewer && !author && plan.status === 'submitted' && !outdated;
  const f = plan.findings;
  const risky = f.newGaps + f.newOverlaps > 0;
  const [text, setText] = useState('');
  const [spot, setSpot] = useState<PinSpot | null>(null);
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState(false);
  const [note, setNote] = useState(plan.note);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);
  useEffect(() => () => onPickPin(null), []);
  const act = (what: () => Promise<unknown>, done: (r: never) => string) => {
    setBusy(true);
    what()
      .then((r) => { if (mounted.current) setNotice({ text: done(r as never), error: false }); data.refresh(); })
      .catch((e: unknown) => { if (mounted.current) setNotice({ text: serverMessage(e, t), error: true }); })
      .finally(() => { if (mounted.current) setBusy(false); });
  };
  const id = host.current!;
  const pickSpot = () => {
    if (picking) { onPickPin(null); return; }
    onPickPin((s) => setSpot(s));
  };
  const post = () => act(
    () => commentPlan(id, plan.id, { text: text.trim(), ...(spot?.grid ? { grid: spot.grid } : {}), ...(spot ? { lonLat: spot.at } : {}) }).then((c) => { setText(''); setSpot(null); return c; }),
    () => t('plans.commented'));
  return (
    <div className="plan-work">
      <h4>{t('plans.comments', { n: plan.comments.length })}</h4>
      {plan.comments.length === 0 && <p className="muted">{t('plans.noComments')}</p>}
      <ol className="plain comment-list">
        {plan.comments.map((c, k) => (
          <li key={c.id} data-testid="plan-comment">
            <button type="button" className="link" disabled={!c.lonLat && !c.grid} onClick={() => onFly(c)}>
              {k + 1}. {commentText(c, t)}
            </button>{' '}
            <span className="muted">{stamp(c.at)}{c.revision !== plan.revision ? ` · ${t('plans.ofRevision', { n: c.revision })}` : ''}</span>
          </li>
        ))}
      </ol>
      {open && (reviewer || author) && (
        <div data-testid="comment-form">
          <label>{t('plans.newComment')}<textarea value={text} onChange={(e) => setText(e.target.value)} data-testid="comment-text" /></label>
          <div className="actions">
            <button type="button" className={picking ? 'primary' : 'secondary'} onClick={pickSpot} aria-pressed={picking} data-testid="comment-pick">{picking ? t('plans.picking') : t('plans.pick')}</button>
            <span className="muted" data-testid="comment-spot">{spot ? (spot.grid ? t('plans.spotGrid', { grid: spot.grid }) : t('plans.spotPlace', { lon: spot.at[0].toFixed(5), lat: spot.at[1].toFixed(5) })) : t('plans.spotNone')}</span>
          </div>
          <div className="actions">
            <button type="button" className="secondary" disabled={busy || !text.trim()} onClick={post} data-testid="comment-post">{t('plans.post')}</button>
          </div>
        </div>
      )}
      {decide && (
        <div data-testid="plan-decide">
          <h4>{t('plans.decide')}</h4>
          {plan.stale && <p className="muted">{t('plans.approveStale')}</p>}
          {risky && (
            <label className="check">
              <input type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} data-testid="approve-confirm" />
              {t('plans.confirmFindings', f)}
            </label>
          )}
          <div className="actions">
            <button type="button" className="primary" disabled={busy || plan.stale || (risky && !confirm)} data-testid="approve"
              onClick={() => act(() => approvePlan(id, plan.id, risky && confirm), (v: PublishedInfo) => t('plans.approved', { n: v.number }))}>{t('plans.approve')}</button>
          </div>
          <label>{t('plans.returnReason')}<textarea value={reason} onChange={(e) => setReason(e.target.value)} data-testid="return-reason" /></label>
          <div className="actions">
            <button type="button" className="secondary" disabled={busy || !reason.trim()} data-testid="return"
              onClick={() => act(() => returnPlan(id, plan.id, reason.trim()), () => t('plans.returned'))}>{t('plans.return')}</button>
          </div>
        </div>
      )}
      {author && open && (
        <div data-testid="plan-author">
          <h4>{t('plans.yours')}</h4>
          {(plan.status === 'returned' || plan.stale) && <p className="muted">{t(plan.stale ? 'plans.resubmitStale' : 'plans.resubmitIntro')}</p>}
          {(plan.status === 'returned' || plan.stale) && <label>{t('plans.note')}<textarea value={note} onChange={(e) => setNote(e.target.value)} data-testid="resubmit-note" /></label>}
          <div className="actions">
            {(plan.status === 'returned' || plan.stale) && (
              <button type="button" className="primary" disabled={busy} data-testid="resubmit"
                onClick={() => act(() => resubmitPlan(id, plan.id, { note: note.trim() }), (r: PlanInfo) => t('plans.resubmitted', { number: r.number, revision: r.revision }))}>{t('plans.resubmit')}</button>
            )}
            <button type="button" className="secondary" disabled={busy} data-testid="withdraw"
              onClick={() => act(() => withdrawPlan(id, plan.id), () => t('plans.withdrawn'))}>{t('plans.withdraw')}</button>
          </div>
        </div>
      )}
      {notice && <NoticeLine notice={notice} testId="plan-notice" />}
    </div>
  );
}

/** In a published version's view: it compared with another published version (the outlines on the map). */
function PublishedCompare({ host, data, onComparison }: Props) {
  const { t } = useTranslation();
  const n = host.view === 'published' ? data.published?.at(-1)?.number ?? null : publishedOfView(host.view);
  const [withN, setWith] = useState<string | null>(() => takeCompare(host.current, host.view));
  const [compared, setCompared] = useState<Compared | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!withN) return;
    let current = true;
    compareWithVersion(withN)
      .then((c) => { if (current) { setCompared(c); onComparison(c); } })
      .catch((e: unknown) => { if (current) setError(serverMessage(e, t)); });
    return () => { current = false; };
  }, [withN]);
  useEffect(() => () => onComparison(null), []);
  if (n === null) return null;
  const others = (data.published ?? []).filter((v) => v.number !== n);
  return (
    <section data-testid="published-compare">
      <h3>{t('plans.compareTitle', { n })}</h3>
      <label>{t('plans.compareWith')}
        <select value={withN ?? ''} onChange={(e) => { setCompared(null); setError(null); setWith(e.target.value || null); if (!e.target.value) onComparison(null); }} data-testid="compare-published">
          <option value="">{t('plans.compareNone')}</option>
          {others.map((v) => <option key={v.number} value={`published:${v.number}`}>{t('plans.versionN', { n: v.number })}</option>)}
        </select>
      </label>
      {error && <p className="edit-notice error" role="alert">{error}</p>}
      {compared && withN && (
        <>
          <p className="muted">{t('plans.compareFromTo', { from: Number(withN.slice(10)), to: n })}</p>
          <ChangeSummary c={compared} t={t} />
        </>
      )}
    </section>
  );
}

function PlanList({ host, plans, t }: { host: ServerHost; plans: PlanInfo[] | null; t: TFunction }) {
  const open = planOfView(host.view);
  return (
    <section data-testid="plan-list">
      <h3>{t('plans.listTitle')}</h3>
      {plans === null ? <p className="muted">{t('plans.loading')}</p> : plans.length === 0 ? <p className="muted">{t('plans.none')}</p> : (
        <ul className="plain">
          {plans.map((p) => (
            <li key={p.id} className={p.id === open ? 'plan-row open' : 'plan-row'} data-testid="plan-row" data-plan={p.id}>
              <strong>{t('plans.numbered', { number: p.number })}</strong> <StatusBadge plan={p} t={t} />
              <div className="muted">{t('plans.rowMeta', { author: p.author, at: stamp(p.submittedAt), grids: p.codes.length })}</div>
              {p.status === 'returned' && p.reason && <div className="plan-reason">{t('plans.reasonIs', { by: p.decidedBy ?? '', reason: p.reason })}</div>}
              {p.id === open
                ? <span className="muted">{t('plans.isOpen')}</span>
                : <button type="button" className="link" onClick={() => host.onOpen(host.current!, `plan:${p.id}`)} data-testid="open-plan">{t('plans.open')}</button>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PublishedList({ host, published, t }: { host: ServerHost; published: PublishedInfo[] | null; t: TFunction }) {
  const shown = host.view === 'published' ? published?.at(-1)?.number ?? null : publishedOfView(host.view);
  const latest = published?.at(-1)?.number ?? null;
  // Compared: the later one opened, compared with the earlier (what changed from one to the next).
  const compare = (a: number, b: number) => {
    const [from, to] = a < b ? [a, b] : [b, a];
    const view: ServerView = to === latest ? 'published' : `published:${to}`;
    askCompare({ district: host.current!, view, with: `published:${from}` });
    host.onOpen(host.current!, view);
  };
  return (
    <section data-testid="published-list">
      <h3>{t('plans.publishedTitle')}</h3>
      {published === null ? <p className="muted">{t('plans.loading')}</p> : (
        <ul className="plain">
          {[...published].reverse().map((v) => (
            <li key={v.number} className={v.number === shown ? 'plan-row open' : 'plan-row'} data-testid="published-row" data-number={v.number}>
              <strong>{t('plans.versionN', { n: v.number })}</strong>{v.number === latest && <span className="plan-status approved">{t('plans.current')}</span>}
              <div className="muted">{v.plan === null ? t('plans.imported') : t('plans.publishedMeta', { at: stamp(v.approvedAt), by: v.approvedBy, plan: v.planNumber ?? '', effective: v.effective })}</div>
              {v.note && <div>{v.note}</div>}
              <div className="actions">
                {v.number === shown
                  ? <span className="muted">{t('plans.isOpen')}</span>
                  : <button type="button" className="link" onClick={() => host.onOpen(host.current!, v.number === latest ? 'published' : `published:${v.number}`)} data-testid="open-published">{t('plans.openReadOnly')}</button>}
                {published.length > 1 && (
                  <select value="" aria-label={t('plans.compareWith')} onChange={(e) => { if (e.target.value) compare(v.number, Number(e.target.value)); }} data-testid="compare-with">
                    <option value="">{t('plans.compareWithShort')}</option>
                    {published.filter((o) => o.number !== v.number).map((o) => <option key={o.number} value={o.number}>{t('plans.versionN', { n: o.number })}</option>)}
                  </select>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NoticeLine({ notice, testId }: { notice: NonNullable<Notice>; testId: string }): ReactNode {
  return <p className={notice.error ? 'edit-notice error' : 'edit-notice'} role={notice.error ? 'alert' : 'status'} data-testid={testId}>{notice.text}</p>;
}
