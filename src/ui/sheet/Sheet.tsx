// The approval sheet (审批单) of a plan, for print: page 1 the map of the plan's area (SVG, to
// scale) with its legend, scale bar, north arrow, title and title block; then the tables of
// changes, moves and scores over as many pages as they take. Knows nothing of where its data
// comes from (the console's draft, a plan submitted to the office server).
import { Fragment, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { District } from '../../domain/district';
import type { Comparison } from '../../plan/compare';
import type { PlanScores } from '../../plan/scores';
import { mapMarks, scaleBar, sheetLayout, type Paper, type Rect } from '../../domain/sheet';
import { LABEL_CODE_MM, LABEL_NAME_MM, sheetMap, type SheetMapData } from './sheetMap';
import { noteTable, sheetTables, tablePages, TABLE, type SheetTable } from './sheetTables';
import './sheet.css';

export interface SheetMeta {
  /** the sheet's title, in words (the approval sheet's own, sheet.title) */
  title: string;
  districtName: string;
  planNumber: string;
  /** the plan's status, already in words */
  status: string;
  /** who submitted it ('' when nobody yet) */
  author: string;
  /** when it was submitted (epoch ms); null: not submitted */
  submittedAt: number | null;
  /** YYYY-MM-DD, '' when not set */
  effective: string;
  /** null until approved: the sheet leaves lines to sign */
  approver: string | null;
  approvedAt: number | null;
  note: string;
  /** the version the plan is compared with, in words */
  comparedWith?: string;
  /** when the sheet was made (epoch ms) */
  printedAt?: number;
}

export interface SheetProps {
  /** the district with the plan's grids as its grids (its base map, buildings and boundaries drawn from it) */
  district: District;
  comparison: Comparison & { scores: { before: PlanScores; after: PlanScores } };
  meta: SheetMeta;
  paper: Paper;
}

const mm = (v: number) => `${v}mm`;
const box = (r: Rect) => ({ left: mm(r.x), top: mm(r.y), width: mm(r.w), height: mm(r.h) });

/** Local date and time, YYYY-MM-DD HH:mm (or the date alone). */
export function formatTime(ms: number, withTime = true): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const day = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  return withTime ? `${day} ${p(d.getHours())}:${p(d.getMinutes())}` : day;
}

export function Sheet({ district, comparison, meta, paper }: SheetProps) {
  const { t } = useTranslation();
  const layout = sheetLayout(paper);
  const map = useMemo(() => sheetMap(district, comparison, layout.map), [district, comparison, paper]);
  const names = useMemo(() => new Map([...district.grids.map((g) => [g.properties.code, g.properties.name] as const), ...comparison.grids.map((g) => [g.code, g.name] as const)]), [district, comparison]);
  // a note longer than its box on page 1 is printed in full first on page 2 (the box says so)
  // (kept for this note on this paper: another note or paper is measured again)
  const [overNote, setOverNote] = useState<string | null>(null);
  const noteOver = overNote === `${paper}:${meta.note}`;
  const setNoteOver = (over: boolean) => setOverNote(over ? `${paper}:${meta.note}` : null);
  const tables = useMemo(() => [...(noteOver ? [noteTable(meta.note, layout.body.w)] : []), ...sheetTables(comparison, names, t)], [comparison, names, t, noteOver, meta.note, paper]);
  const pages = useMemo(() => tablePages(tables, layout.body.w, layout.body.h), [tables, paper]);
  const total = 1 + pages.length;
  // white paper, not the console's dark desk
  useEffect(() => {
    document.documentElement.classList.add('sheet-doc');
    return () => document.documentElement.classList.remove('sheet-doc');
  }, []);
  const heading = t('sheet.heading', { district: meta.districtName, title: meta.title });
  const header = (
    <header className="sheet-header" style={box(layout.header)}>
      <h1>{heading}</h1>
      <span className="sheet-number">{t('sheet.labelled', { label: t('sheet.planNumber'), value: meta.planNumber || '—' })}</span>
    </header>
  );
  const footer = (n: number) => (
    <footer className="sheet-footer" style={box(layout.footer)}>
      <span>{meta.planNumber ? `${heading} · ${meta.planNumber}` : heading}</span>
      <span>{meta.printedAt !== undefined ? t('sheet.printedAt', { at: formatTime(meta.printedAt) }) : ''}</span>
      <span>{t('sheet.page', { n, total })}</span>
    </footer>
  );
  const summary = {
    added: comparison.grids.filter((g) => g.change === 'added').length,
    removed: comparison.grids.filter((g) => g.change === 'removed').length,
    reshaped: comparison.grids.filter((g) => g.change === 'reshaped').length,
    households: comparison.moves.reduce((s, x) => s + x.households, 0),
    buildings: comparison.moves.reduce((s, x) => s + x.buildings, 0),
  };

  return (
    <div className={`sheet sheet-${paper.toLowerCase()}`} data-testid="sheet" data-paper={paper}>
      <section className="sheet-page" style={{ width: mm(layout.page.w), height: mm(layout.page.h) }} data-testid="sheet-page">
        {header}
        <MapFrame map={map} frame={layout.map} />
        <aside className="sheet-side" style={box(layout.side)}>
          <p className="sheet-summary" data-testid="sheet-summary">{t('sheet.summary', summary)}</p>
          <Legend map={map} />
          <TitleBlock meta={meta} onOverflow={setNoteOver} over={noteOver} />
        </aside>
        {footer(1)}
      </section>
      {pages.map((parts, k) => (
        <section key={k} className="sheet-page" style={{ width: mm(layout.page.w), height: mm(layout.page.h) }} data-testid="sheet-page">
          {header}
          <div className="sheet-body" style={box(layout.body)}>
            {parts.map((part) => {
              const tb = tables.find((x) => x.id === part.block)!;
              return <TablePart key={`${part.block}-${part.from}`} table={tb} from={part.from} to={part.to} continued={part.continued} width={layout.body.w} />;
            })}
          </div>
          {footer(k + 2)}
        </section>
      ))}
    </div>
  );
}

function TablePart({ table, from, to, continued, width }: { table: SheetTable; from: number; to: number; continued: boolean; width: number }) {
  const { t } = useTranslation();
  const rows = table.rows.slice(from, to);
  const cls = (i: number) => (table.numeric.includes(i) ? 'num' : undefined);
  const title = <h2 style={{ height: mm(TABLE.heading), lineHeight: mm(TABLE.heading) }}>{t(table.plain ? 'sheet.note' : `sheet.${table.id}.title`)}{continued ? t('sheet.continued') : ''}</h2>;
  if (table.plain) {
    return (
      <div className="sheet-table sheet-plain" data-testid={`sheet-${table.id}`}>
        {title}
        {rows.map((r, k) => <p key={from + k} style={{ width: mm(width) }}>{r[0]}</p>)}
      </div>
    );
  }
  return (
    <div className="sheet-table" data-testid={`sheet-${table.id}`}>
      {title}
      <table style={{ width: mm(width) }}>
        <colgroup>{table.cols.map((s, i) => <col key={i} style={{ width: mm(s * width) }} />)}</colgroup>
        <thead><tr>{table.head.map((h, i) => <th key={i} className={cls(i)}>{h}</th>)}</tr></thead>
        <tbody>
          {table.rows.length === 0
            ? <tr><td colSpan={table.cols.length} className="none">{table.none}</td></tr>
            : rows.map((r, k) => <tr key={from + k}>{r.map((c, i) => <td key={i} className={cls(i)}>{c}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}

/** Grid styles by change (sheet.css holds the colours, by class). */
const gridClass = (change: string | null, kind: string) => (change ? `g-${change}` : kind === 'dedicated' ? 'g-dedicated' : 'g-grid');

function MapFrame({ map, frame }: { map: SheetMapData; frame: Rect }) {
  const { t } = useTranslation();
  const clip = useId().replace(/:/g, '');
  const marks = mapMarks(frame);
  const bar = scaleBar(map.projection.scale, marks.bar);
  const unit = (v: number) => t(bar.unit === 'km' ? 'sheet.km' : 'sheet.m', { n: v });
  const order = (c: string | null) => (c === 'removed' ? 2 : c ? 1 : 0);
  const grids = [...map.grids].sort((a, b) => order(a.change) - order(b.change));
  // the scale bar on a white card, bottom left: four segments, labelled 0, half and the whole
  const sx = marks.scale.x + 3, sy = marks.scale.y + 8;
  // the north arrow, top right
  const nx = marks.north.x + marks.north.w / 2, ny = marks.north.y + 4.5;
  return (
    <svg className="sheet-map" data-testid="sheet-map" xmlns="http://www.w3.org/2000/svg"
      style={box(frame)} width={mm(frame.w)} height={mm(frame.h)} viewBox={`${frame.x} ${frame.y} ${frame.w} ${frame.h}`}>
      <defs><clipPath id={clip}><rect x={frame.x} y={frame.y} width={frame.w} height={frame.h} /></clipPath></defs>
      <g clipPath={`url(#${clip})`}>
        <rect className="m-land" x={frame.x} y={frame.y} width={frame.w} height={frame.h} />
        <path className="m-water" d={map.water} />
        <path className="m-road m-local" d={map.roads.local} />
        <path className="m-road m-secondary" d={map.roads.secondary} />
        <path className="m-road m-arterial" d={map.roads.arterial} />
        <path className="m-buildings" d={map.buildings} />
        {grids.map((g) => <path key={`${g.change ?? ''}${g.code}`} className={`m-grid ${gridClass(g.change, g.kind)}`} d={g.d} data-code={g.code} data-change={g.change ?? ''} />)}
        <path className="m-before" d={map.before} />
        <path className="m-community" d={map.communities} />
        <path className="m-street" d={map.streets} />
        <path className="m-district" d={map.district} />
        {map.labels.filter((l) => l.anchor).map((l) => {
          // a label beside its grid: a line from the grid to the label's nearest edge, a dot in the grid
          const [ax, ay] = l.anchor!;
          const ex = Math.max(l.x - l.w / 2, Math.min(ax, l.x + l.w / 2)), ey = Math.max(l.y - l.h / 2, Math.min(ay, l.y + l.h / 2));
          return (
            <g key={`leader-${l.id}`} className="m-leader">
              <path d={`M${ax} ${ay}L${ex} ${ey}`} />
              <circle cx={ax} cy={ay} r={0.5} />
            </g>
          );
        })}
        {map.labels.map((l) => {
          const top = l.y - l.h / 2 + 0.15;
          let y = top;
          return (
            <text key={l.id} className={`m-label${l.change ? ` l-${l.change}` : ''}`} textAnchor="middle">
              {l.lines.map((line, i) => {
                y += line.size * 1.2;
                return <tspan key={i} x={l.x} y={y - line.size * 0.32} fontSize={line.size} className={line.size === LABEL_NAME_MM ? 'name' : line.size === LABEL_CODE_MM ? 'code' : undefined}>{line.text}</tspan>;
              })}
            </text>
          );
        })}
      </g>
      <g className="m-north" data-testid="sheet-north">
        <circle cx={nx} cy={ny + 5} r={5.5} className="m-card" />
        <path d={`M${nx} ${ny} L${nx + 3} ${ny + 8} L${nx} ${ny + 6.5} Z`} className="dark" />
        <path d={`M${nx} ${ny} L${nx - 3} ${ny + 8} L${nx} ${ny + 6.5} Z`} className="light" />
        <text x={nx} y={ny - 1.2} textAnchor="middle" fontSize={3.2}>{t('sheet.north')}</text>
      </g>
      <g className="m-scale" data-testid="sheet-scale" data-metres={bar.metres}>
        <rect className="m-card" x={marks.scale.x} y={marks.scale.y + 1} width={bar.mm + 16} height={9} rx={1} />
        {[0, 1, 2, 3].map((i) => <rect key={i} x={sx + (i * bar.mm) / 4} y={sy - 1} width={bar.mm / 4} height={1.6} className={i % 2 ? 'light' : 'dark'} />)}
        {[[0, '0'], [bar.mm / 2, String(bar.value / 2)], [bar.mm, unit(bar.value)]].map(([x, s]) => (
          <text key={String(x)} x={sx + Number(x)} y={sy - 2.2} textAnchor={x === bar.mm ? 'start' : 'middle'} dx={x === bar.mm ? -1.2 : 0} fontSize={2.6}>{s}</text>
        ))}
      </g>
      <rect className="m-frame" x={frame.x} y={frame.y} width={frame.w} height={frame.h} />
    </svg>
  );
}

function Swatch({ cls, line }: { cls: string; line?: boolean }) {
  return (
    <svg className="sheet-swatch" width="9mm" height="4.5mm" viewBox="0 0 9 4.5" aria-hidden="true">
      {line ? <path className={cls} d="M0.5 2.25 L8.5 2.25" /> : <rect className={cls} x={0.5} y={0.5} width={8} height={3.5} />}
    </svg>
  );
}

function Legend({ map }: { map: SheetMapData }) {
  const { t } = useTranslation();
  const items: [string, string, boolean?][] = [
    ['added', 'm-grid g-added'],
    ['reshaped', 'm-grid g-reshaped'],
    ['removed', 'm-grid g-removed'],
    ['before', 'm-before', true],
    ['grid', 'm-grid g-grid'],
    ...(map.dedicated ? [['dedicated', 'm-grid g-dedicated'] as [string, string]] : []),
    ...(map.districtShown ? [['district', 'm-district', true] as [string, string, boolean]] : []),
    ['street', 'm-street', true],
    ['community', 'm-community', true],
    ['roads', 'm-road m-secondary', true],
    ['water', 'm-water'],
    ['buildings', 'm-buildings'],
  ];
  return (
    <section className="sheet-legend" data-testid="sheet-legend">
      <h3>{t('sheet.legend.title')}</h3>
      <ul>
        {items.map(([k, cls, line]) => <li key={k}><Swatch cls={cls} line={line} /><span>{t(`sheet.legend.${k}`)}</span></li>)}
      </ul>
    </section>
  );
}

function TitleBlock({ meta, over, onOverflow }: { meta: SheetMeta; over: boolean; onOverflow: (over: boolean) => void }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  // measured once laid out, with the full text (not the shortened one: that would always fit)
  const text = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && !over) onOverflow(el.scrollHeight > el.clientHeight + 1);
    // shortened: whole lines only (no line cut through the middle at the foot)
    const p = text.current;
    if (over && p) {
      p.style.height = '';
      p.style.bottom = '';
      const line = parseFloat(getComputedStyle(p).lineHeight);
      if (line > 0) { p.style.height = `${Math.floor(p.clientHeight / line) * line}px`; p.style.bottom = 'auto'; }
    }
  }, [meta.note, over, onOverflow]);
  const blank = <span className="sheet-line" />;
  const rows: [string, ReactNode][] = [
    ['planNumber', meta.planNumber || blank],
    ['status', meta.status],
    ...(meta.comparedWith !== undefined ? [['comparedWith', meta.comparedWith] as [string, ReactNode]] : []),
    ['author', meta.author || blank],
    ['submittedAt', meta.submittedAt !== null ? formatTime(meta.submittedAt) : blank],
    ['effective', meta.effective || blank],
    ['approver', meta.approver ?? <><span className="sheet-line" /><span className="muted">{t('sheet.signature')}</span></>],
    ['approvedAt', meta.approvedAt !== null ? formatTime(meta.approvedAt, false) : blank],
  ];
  return (
    <section className="sheet-titleblock" data-testid="sheet-titleblock">
      <dl>
        {rows.map(([k, v]) => <Fragment key={k}><dt>{t(`sheet.${k}`)}</dt><dd data-field={k}>{v}</dd></Fragment>)}
      </dl>
      <div className={over ? 'sheet-note over' : 'sheet-note'} ref={box}>
        <h4>{t('sheet.note')}</h4>
        <p data-field="note" ref={text}>{meta.note}</p>
        {over && <p className="sheet-note-more" data-testid="sheet-note-more">{t('sheet.noteMore')}</p>}
      </div>
    </section>
  );
}
