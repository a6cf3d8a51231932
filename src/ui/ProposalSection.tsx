// Proposals in the editor: ask the district's worker for an auto-split, an auto-merge or a
// repair, see it on the map with every proposed grid's households and the plan's scores
// before and after, and accept it (one edit), discard it, or ask for another.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Feature } from 'geojson';
import type { DraftState } from '../workspace/session';
import type { Proposal, ProposalRequest } from '../workspace/proposals';
import type { PlanScores } from '../plan/scores';
import { cancelProposal, propose } from './loadDistrict';
import type { EditNotice } from './EditPanel';

interface Props {
  draft: DraftState;
  /** the selected grid and its community */
  selected: { code: string; community: string } | null;
  /** accept the proposal with this id (the page makes sure there is a draft first) */
  onAccept: (id: number) => void;
  onPreview: (features: Feature[] | null) => void;
  onNotice: (n: EditNotice) => void;
}

export function ProposalSection({ draft, selected, onAccept, onPreview, onNotice }: Props) {
  const { t } = useTranslation();
  const [target, setTarget] = useState(180);
  const [tolerance, setTolerance] = useState(15);
  const [snapM, setSnapM] = useState(1);
  const [maxArea, setMaxArea] = useState(500);
  const [running, setRunning] = useState<{ done: number; total: number } | null>(null);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  // An edit makes a proposal out of date.
  useEffect(() => { setProposal(null); onPreview(null); }, [draft.done, draft.total]);
  useEffect(() => () => onPreview(null), []);

  const ask = (req: ProposalRequest) => {
    setRunning({ done: 0, total: 1 });
    propose(req, (done, total) => setRunning({ done, total }))
      .then((a) => {
        setRunning(null);
        if (!a.ok) { onNotice({ key: `edit.errors.${a.code}`, values: a.values, error: true }); setProposal(null); onPreview(null); return; }
        setProposal(a.proposal);
        onPreview(previewOf(a.proposal));
      })
      .catch((e: unknown) => { setRunning(null); onNotice({ key: 'edit.errors.failed', values: { message: e instanceof Error ? e.message : String(e) }, error: true }); });
  };
  const split = (whole: boolean) => selected && ask({ kind: 'split', ...(whole ? { community: selected.community } : { codes: [selected.code] }), target, tolerance: tolerance / 100, seed: 1 });
  const status = (s: string) => (s === 'removed' ? t('plan.removed') : t(`edit.bandStatus.${s}`));

  return (
    <section className="edit-plan" data-testid="proposals">
      <h3>{t('plan.title')}</h3>
      <div className="edit-actions">
        <label>{t('plan.target')} <input type="number" min={1} value={target} onChange={(e) => setTarget(Math.max(1, Number(e.target.value) || 1))} data-testid="plan-target" style={{ width: 80 }} /></label>
        <label>± <input type="number" min={0} max={100} value={tolerance} onChange={(e) => setTolerance(Math.min(100, Math.max(0, Number(e.target.value) || 0)))} aria-label={t('plan.tolerance')} style={{ width: 60 }} /> %</label>
      </div>
      <div className="edit-actions">
        <button type="button" className="secondary" disabled={!selected || !!running} onClick={() => split(false)} data-testid="plan-split">{t('plan.splitSelected')}</button>
        <button type="button" className="secondary" disabled={!selected || !!running} onClick={() => split(true)} data-testid="plan-split-community">{t('plan.splitCommunity')}</button>
        <button type="button" className="secondary" disabled={!selected || !!running} onClick={() => selected && ask({ kind: 'merge', community: selected.community })} data-testid="plan-merge">{t('plan.merge')}</button>
      </div>
      <div className="edit-actions">
        <label>{t('plan.snap')} <input type="number" min={0} step={0.1} value={snapM} onChange={(e) => setSnapM(Math.max(0, Number(e.target.value) || 0))} style={{ width: 70 }} /></label>
        <label>{t('plan.maxArea')} <input type="number" min={0} value={maxArea} onChange={(e) => setMaxArea(Math.max(0, Number(e.target.value) || 0))} style={{ width: 90 }} data-testid="plan-max-area" /></label>
      </div>
      <div className="edit-actions">
        <button type="button" className="secondary" disabled={!selected || !!running} onClick={() => selected && ask({ kind: 'repair', community: selected.community, snapM, maxAreaM2: maxArea })} data-testid="plan-repair">{t('plan.repairCommunity')}</button>
        <button type="button" className="secondary" disabled={!!running} onClick={() => ask({ kind: 'repair', snapM, maxAreaM2: maxArea })} data-testid="plan-repair-district">{t('plan.repairDistrict')}</button>
      </div>
      {!selected && <p className="muted">{t('plan.needSelection')}</p>}
      {running && (
        <p className="muted" role="status">
          {t('plan.running', running)} <progress max={running.total} value={running.done} />{' '}
          <button type="button" className="link" onClick={() => void cancelProposal()}>{t('plan.cancel')}</button>
        </p>
      )}
      {proposal && (
        <div className="edit-proposal" data-testid="proposal">
          <p className="muted">{t('plan.shown')}</p>
          <Scores before={proposal.scores.before} after={proposal.scores.after} />
          {proposal.problems.map((p, i) => <p key={i} className="edit-notice error">{t(`plan.problems.${p.code}`, p.values)}</p>)}
          {proposal.left.map((l, i) => <p key={`l${i}`} className="edit-notice" data-testid="proposal-left">{t('plan.left', { kind: t(`plan.kinds.${l.kind}`), area: Math.round(l.area_m2), codes: l.codes.join('、') })}</p>)}
          <ul className="plain" data-testid="proposal-rows">
            {proposal.rows.filter((r) => r.before !== r.after || r.area_before_m2 !== r.area_after_m2).map((r) => (
              <li key={r.code}>{t('plan.row', {
                name: r.name, code: r.code, before: r.before < 0 ? t('plan.newGrid') : r.before, after: r.after < 0 ? '—' : r.after,
                status: status(r.status), area: `${r.area_before_m2} → ${r.area_after_m2} m²`,
              })}</li>
            ))}
          </ul>
          {proposal.before.length === 0 && proposal.after.length === 0 && <p className="muted" data-testid="proposal-nothing">{t('plan.nothingToApply')}</p>}
          <div className="edit-actions">
            {(proposal.before.length > 0 || proposal.after.length > 0) && <button type="button" className="primary" data-testid="plan-accept" disabled={draft.readOnly} onClick={() => { const id = proposal.id; setProposal(null); onPreview(null); onAccept(id); }}>{t('plan.accept')}</button>}
            <button type="button" className="secondary" data-testid="plan-discard" onClick={() => { setProposal(null); onPreview(null); }}>{t('plan.discard')}</button>
            {proposal.request.kind === 'split' && (
              <button type="button" className="secondary" data-testid="plan-another" onClick={() => ask({ ...proposal.request, seed: (proposal.request.seed ?? 1) + 1 })}>{t('plan.another')}</button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** The plan's scores before and after (a proposal, or a draft against a version). */
export function Scores({ before, after }: { before: PlanScores; after: PlanScores }) {
  const { t } = useTranslation();
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const f2 = (x: number) => x.toFixed(2);
  const rows: [string, (s: PlanScores) => string][] = [
    ['plan.scores.grids', (s) => String(s.grids)],
    ['plan.scores.ideal', (s) => String(Math.round(s.ideal))],
    ['plan.scores.deviation', (s) => pct(s.largestDeviation)],
    ['plan.scores.inBand', (s) => `${s.inBand}/${s.grids}`],
    ['plan.scores.pp', (s) => `${f2(s.meanPolsbyPopper)} / ${f2(s.worstPolsbyPopper)}`],
    ['plan.scores.reock', (s) => f2(s.meanReock)],
  ];
  return (
    <table className="plan-scores" data-testid="plan-scores">
      <caption>{t('plan.scores.title')}</caption>
      <thead><tr><th /><th>{t('plan.scores.now')}</th><th>{t('plan.scores.proposed')}</th></tr></thead>
      <tbody>
        {rows.map(([k, f]) => <tr key={k}><th>{t(k)}</th><td>{f(before)}</td><td>{f(after)}</td></tr>)}
        <tr><th>{t('plan.scores.moved')}</th><td /><td>{after.movedHouseholds} / {after.movedBuildings}</td></tr>
      </tbody>
    </table>
  );
}

/** The proposal on the map: its grids outlined, labelled with their households; what they replace in grey. */
function previewOf(p: Proposal): Feature[] {
  const byCode = new Map(p.rows.map((r) => [r.code, r]));
  // the grids it makes or reshapes (neighbours that only got a vertex on their edge are not drawn)
  const changed = (code: string) => { const r = byCode.get(code); return !r || r.before < 0 || r.area_before_m2 !== r.area_after_m2; };
  return p.after.filter((g) => changed(g.properties.code)).map((g) => ({ type: 'Feature', geometry: g.geometry, properties: { code: g.properties.code, change: 'added', version: 'after', label: String(byCode.get(g.properties.code)?.after ?? '') } }));
}
