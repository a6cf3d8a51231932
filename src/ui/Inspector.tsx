// The inspector: what was clicked or found. Grid → its figures and staff; building → its
// households by unit and room (看房知人); household; case.
import { useState, type ReactNode } from 'react';
import { maskAny, maskName, maskPhone } from '../domain/privacy';
import { PERSONAL_PREFIX } from '../io/layers';
import { useTranslation } from 'react-i18next';
import { SidePanel } from './SidePanel';
import type { TFunction } from 'i18next';
import type { District } from '../domain/district';
import { CASE_STAGES, CASE_STATUS_NAMES, DISPATCH_LEVELS, SATISFACTION } from '../domain/cases';
import { DEFAULT_BAND } from '../domain/bands';
import { gridIndex, type Selection } from '../map/state';
import type { GridReport, Report } from '../checks/report';
import { categoryName, duration } from './format';
import { buildingProps } from '../workspace/buildingTable';

interface Props {
  district: District;
  /** the current coverage report: a grid's band as the checks judged it */
  report: Report;
  selection: Selection | null;
  onSelect: (s: Selection) => void;
  onClose: () => void;
}

export function Inspector({ district: d, report, selection, onSelect, onClose }: Props) {
  const { t } = useTranslation();
  if (!selection || selection.kind === 'boundary') return null;
  const gi = selection.kind === 'grid' ? gridIndex(d.grids, selection.code) : -1;
  if (selection.kind === 'grid' ? gi < 0 : selection.index < 0) return null;
  return (
    <SidePanel title={t(`inspector.titles.${selection.kind}` as const)} testId="inspector" className="inspector" onClose={onClose}>
      {selection.kind === 'grid' && <GridDetails d={d} index={gi} t={t} judged={report.grids.find((g) => g.code === selection.code)} />}
      {selection.kind === 'building' && <BuildingDetails d={d} index={selection.index} t={t} onSelect={onSelect} />}
      {selection.kind === 'household' && <HouseholdDetails d={d} index={selection.index} t={t} onSelect={onSelect} />}
      {selection.kind === 'case' && <CaseDetails d={d} index={selection.index} t={t} onSelect={onSelect} />}
    </SidePanel>
  );
}

type T = TFunction;

function Rows({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="rows">
      {rows.map(([k, v]) => (
        <div key={k} className="row"><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}

function GridLink({ d, grid, t, onSelect }: { d: District; grid: number; t: T; onSelect: (s: Selection) => void }) {
  if (grid < 0) return <span className="warn">{t('inspector.noGrid')}</span>;
  const g = d.grids[grid].properties;
  return <button type="button" className="link" onClick={() => onSelect({ kind: 'grid', code: g.code })}>{g.name}（{g.code}）</button>;
}

function GridDetails({ d, index, t, judged }: { d: District; index: number; t: T; judged?: GridReport }) {
  const g = d.grids[index].properties;
  const s = d.gridStats;
  const community = d.boundaries.find((b) => b.properties.code === g.community_code)?.properties.name ?? g.community_code;
  // The band the checks used (the grid's own, its community's or the default) and the verdict.
  const bandText = judged?.band
    ? t(g.band_min != null && g.band_max != null ? 'inspector.bandValue' : 'inspector.bandDefault', { min: judged.band[0], max: judged.band[1] })
    : g.band_min != null && g.band_max != null
      ? t('inspector.bandValue', { min: g.band_min, max: g.band_max })
      : t('inspector.bandDefault', { min: DEFAULT_BAND[0], max: DEFAULT_BAND[1] });
  const status = judged?.band_status;
  const band = status === 'under' || status === 'over'
    ? <span className="bad" data-testid="inspector-band">{bandText} · {t(`inspector.band_${status}`)}</span>
    : <span data-testid="inspector-band">{bandText}{status === 'in' ? ` · ${t('inspector.band_in')}` : ''}</span>;
  const kind = g.kind === 'dedicated'
    ? `${t('inspector.kinds.dedicated')} · ${t(`inspector.dedicatedTypes.${g.dedicated_type || ''}`)}`
    : t('inspector.kinds.base');
  return (
    <>
      <h3 className="title" data-testid="inspector-title">{g.name}</h3>
      <Rows rows={[
        [t('inspector.code'), <code data-testid="inspector-code">{g.code}</code>],
        [t('inspector.kind'), kind],
        [t('inspector.community'), community],
        [t('inspector.band'), band],
        [t('inspector.households'), s.households[index].toLocaleString()],
        [t('inspector.buildings'), s.buildings[index].toLocaleString()],
        [t('inspector.residents'), s.residents[index].toLocaleString()],
        [t('inspector.openCases'), s.openCases[index].toLocaleString()],
        [t('inspector.overdueCases'), <span className={s.overdueCases[index] ? 'bad' : ''}>{s.overdueCases[index]}</span>],
        [t('inspector.gridHead'), g.grid_head || t('inspector.none')],
        [t('inspector.fullTime'), g.full_time || t('inspector.none')],
        [t('inspector.partTime'), g.part_time || t('inspector.none')],
      ]} />
    </>
  );
}

function BuildingDetails({ d, index, t, onSelect }: { d: District; index: number; t: T; onSelect: (s: Selection) => void }) {
  const b = buildingProps(d.buildings, index);
  const h = d.households;
  // Households of this building grouped by unit, rooms in order.
  const byUnit = new Map<number, number[]>();
  for (let i = 0; i < h.count; i++) {
    if (h.building[i] !== index) continue;
    const list = byUnit.get(h.units[i]) ?? [];
    list.push(i);
    byUnit.set(h.units[i], list);
  }
  const units = [...byUnit.keys()].sort((a, b) => a - b);
  return (
    <>
      <h3 className="title" data-testid="inspector-title">{b.address}</h3>
      <Rows rows={[
        [t('inspector.buildingId'), <code>{b.id}</code>],
        [t('inspector.levels'), Number.isFinite(b.levels) ? b.levels : t('inspector.none')],
        [t('inspector.residential'), b.residential ? t('inspector.residentialYes') : t('inspector.residentialNo')],
        [t('inspector.grid'), <GridLink d={d} grid={d.buildings.grid[index]} t={t} onSelect={onSelect} />],
        [t('inspector.households'), d.buildings.households[index]],
      ]} />
      {units.length > 0 && <h4>{t('inspector.householdsByUnit')}</h4>}
      <div className="units" data-testid="building-households">
        {units.map((u) => <UnitTable key={u} unit={u} rows={floorTable(byUnit.get(u)!, h.rooms)} d={d} t={t} onSelect={onSelect} />)}
      </div>
    </>
  );
}

/**
 * The floor table (lou pan biao): one unit's households as floors (rows, top floor first) by door (columns). Room
 * numbers are read as Chinese rosters write them: "1203" or "12-03" is floor 12, door 3;
 * a room that reads otherwise goes in a row of its own.
 */
export function floorTable(households: number[], rooms: string[]): { floor: number | null; doors: Map<number, number> | null; others: number[] }[] {
  const floors = new Map<number, Map<number, number>>();
  const others: number[] = [];
  for (const i of households) {
    const r = rooms[i].trim();
    const m = /^(\d{1,3})-(\d{1,2})$/.exec(r) ?? (/^\d{3,4}$/.test(r) ? [r, r.slice(0, -2), r.slice(-2)] : null);
    if (!m) { others.push(i); continue; }
    const floor = Number(m[1]), door = Number(m[2]);
    const row = floors.get(floor) ?? new Map<number, number>();
    if (row.has(door)) { others.push(i); continue; }
    row.set(door, i);
    floors.set(floor, row);
  }
  const rows: ReturnType<typeof floorTable> = [...floors.keys()].sort((a, b) => b - a).map((f) => ({ floor: f, doors: floors.get(f)!, others: [] }));
  if (others.length) rows.push({ floor: null, doors: null, others: others.sort((a, b) => rooms[a].localeCompare(rooms[b], undefined, { numeric: true })) });
  return rows;
}

function UnitTable({ unit, rows, d, t, onSelect }: { unit: number; rows: ReturnType<typeof floorTable>; d: District; t: T; onSelect: (s: Selection) => void }) {
  const h = d.households;
  const doors = [...new Set(rows.flatMap((r) => (r.doors ? [...r.doors.keys()] : [])))].sort((a, b) => a - b);
  const room = (i: number) => (
    <button key={i} type="button" className={`room ${h.residents[i] > 0 ? '' : 'room-empty'}`} title={h.ids[i]} onClick={() => onSelect({ kind: 'household', index: i })}>
      <span className="room-no">{h.rooms[i]}</span>
      <span className="room-res">{h.residents[i] >= 0 ? t('inspector.residentsShort', { n: h.residents[i] }) : t('inspector.residentsUnknown')}</span>
    </button>
  );
  return (
    <section className="unit">
      <h5>{t('inspector.unit', { unit })}</h5>
      <table className="floor-table">
        <thead><tr><th>{t('inspector.floor')}</th>{doors.map((n) => <th key={n}>{t('inspector.door', { n })}</th>)}</tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.floor ?? 'other'}>
              <th>{r.floor === null ? t('inspector.otherRooms') : t('inspector.floorN', { n: r.floor })}</th>
              {r.doors ? doors.map((n) => <td key={n}>{r.doors!.has(n) ? room(r.doors!.get(n)!) : null}</td>) : <td colSpan={Math.max(1, doors.length)}>{r.others.map(room)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HouseholdDetails({ d, index, t, onSelect }: { d: District; index: number; t: T; onSelect: (s: Selection) => void }) {
  const h = d.households;
  const b = h.building[index];
  const head = h.heads?.[index] ?? '';
  const phone = h.phones?.[index] ?? '';
  return (
    <>
      <h3 className="title" data-testid="inspector-title">{h.ids[index]}</h3>
      <Rows rows={[
        [t('inspector.building'), b >= 0
          ? <button type="button" className="link" onClick={() => onSelect({ kind: 'building', index: b })}>{d.buildings.addresses[b]}</button>
          : <span className="bad">{t('inspector.buildingUnknown', { id: h.buildingIds[index] })}</span>],
        [t('inspector.unit', { unit: h.units[index] }), `${t('inspector.room')} ${h.rooms[index]}`],
        [t('inspector.residentsCount'), h.residents[index] > 0 ? h.residents[index] : <span className="bad">{h.residents[index] === 0 ? 0 : t('inspector.residentsUnknown')}</span>],
        [t('inspector.grid'), <GridLink d={d} grid={h.grid[index]} t={t} onSelect={onSelect} />],
      ]} />
      {(head || phone || h.otherPersonal.some((o) => o.values[index])) && (
        <Personal key={index} head={head} phone={phone} others={h.otherPersonal.map((o) => ({ key: o.key, value: o.values[index] })).filter((o) => o.value)} t={t} />
      )}
    </>
  );
}

/** Head of household and phone, masked until the user asks to see them (and masked again for the next household). */
function Personal({ head, phone, others, t }: { head: string; phone: string; others: { key: string; value: string }[]; t: T }) {
  const [shown, setShown] = useState(false);
  const label = (k: string) => (k.startsWith(PERSONAL_PREFIX) ? k.slice(PERSONAL_PREFIX.length) : t(`fields.${k}`));
  return (
    <section className="personal-data" data-testid="personal">
      <Rows rows={[
        ...(head ? [[t('inspector.head'), <span data-testid="personal-head">{shown ? head : maskName(head)}</span>] as [string, ReactNode]] : []),
        ...(phone ? [[t('inspector.phone'), <span data-testid="personal-phone">{shown ? phone : maskPhone(phone)}</span>] as [string, ReactNode]] : []),
        ...others.map((o) => [label(o.key), <span data-testid="personal-other">{shown ? o.value : maskAny(o.value)}</span>] as [string, ReactNode]),
      ]} />
      <button type="button" onClick={() => setShown(!shown)} data-testid="personal-toggle">{shown ? t('inspector.hidePersonal') : t('inspector.showPersonal')}</button>
    </section>
  );
}

export function CaseDetails({ d, index, t, onSelect }: { d: District; index: number; t: T; onSelect: (s: Selection) => void }) {
  const { i18n } = useTranslation();
  const c = d.cases;
  const status = CASE_STATUS_NAMES[c.status[index]];
  const level = DISPATCH_LEVELS[c.level[index]] ?? 'unknown';
  const sat = SATISFACTION[c.satisfaction[index]];
  const time = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toLocaleString(i18n.language) : t('inspector.none'));
  const deadline = c.deadline[index];
  const left = deadline - c.asOf;
  return (
    <>
      <h3 className="title" data-testid="inspector-title">{c.ids[index]}</h3>
      <Rows rows={[
        [t('inspector.category'), categoryName(c.categoryNames[c.category[index]], t)],
        [t('inspector.status'), <span className={`status status-${status}`} data-testid="case-status">{t(`inspector.statuses.${status}`)}</span>],
        [t('inspector.dispatchLevel'), t(`inspector.dispatchLevels.${level}`)],
        [t('inspector.address'), c.addresses[index]],
        [t('inspector.deadline'), <>{time(deadline)}{c.deadlineFromLimit[index] === 1 && <span className="muted"> {t('cases.fromLimit')}</span>}</>],
        ...(c.open[index] && Number.isFinite(deadline)
          ? [[left >= 0 ? t('cases.timeLeft') : t('cases.overdueBy'), <span className={left >= 0 ? '' : 'bad'} data-testid="case-left">{duration(Math.abs(left), t)}</span>] as [string, ReactNode]]
          : []),
        [t('cases.satisfaction'), sat ? t(`cases.satisfactionLevels.${sat}`) : t('inspector.none')],
        [t('inspector.grid'), <GridLink d={d} grid={c.grid[index]} t={t} onSelect={onSelect} />],
      ]} />
      {c.descriptions[index] && <p className="description">{c.descriptions[index]}</p>}
      <Timeline d={d} index={index} t={t} language={i18n.language} />
    </>
  );
}

/** The closed loop, stage by stage, with the time each stage took (from the stage before it). */
function Timeline({ d, index, t, language }: { d: District; index: number; t: T; language: string }) {
  const c = d.cases;
  let previous = NaN;
  return (
    <ol className="timeline" data-testid="case-timeline">
      {CASE_STAGES.map((stage) => {
        const at = c[stage][index];
        const took = Number.isFinite(at) && Number.isFinite(previous) ? at - previous : NaN;
        if (Number.isFinite(at)) previous = at;
        return (
          <li key={stage} className={Number.isFinite(at) ? 'done' : 'todo'} data-stage={stage}>
            <span className="stage">{t(`cases.stages.${stage}`)}</span>
            <span className="at">{Number.isFinite(at) ? new Date(at).toLocaleString(language) : t('cases.notReached')}</span>
            {Number.isFinite(took) && <span className="took">{t('cases.took', { time: duration(took, t) })}</span>}
          </li>
        );
      })}
    </ol>
  );
}
