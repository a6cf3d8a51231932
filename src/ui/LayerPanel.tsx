// Layer toggles and the legend.
import { useTranslation } from 'react-i18next';
import type { LayerVisibility } from '../map/state';
import { binColor, CASE_LOAD_STEPS, COLORS } from '../map/layers';
import { CaseStatus } from '../domain/cases';

const TOGGLES: (keyof LayerVisibility)[] = [
  'baseGrids', 'dedicatedGrids', 'buildings', 'buildings3d', 'households', 'cases', 'caseHeat', 'caseLoad', 'labels', 'findings', 'bandColors',
];

/** How a colour is drawn: an area (fill, outline), a point, a ring, a line, a ramp. */
type Shape = 'area' | 'point' | 'ring' | 'line' | 'ramp';
interface LegendRow { key: string; shape: Shape; fill: number[]; line?: number[]; ramp?: number[][]; values?: Record<string, number> }

const css = (c: number[]) => `rgba(${c[0]},${c[1]},${c[2]},${(c[3] ?? 255) / 255})`;

/** Every colour the map draws with the layers shown, each with its meaning. */
export function legendRows(v: LayerVisibility, editing = false, comparing = false, pins = false): LegendRow[] {
  const e = COLORS.edit;
  const row = (key: string, shape: Shape, fill: number[], line?: number[], values?: Record<string, number>): LegendRow => ({ key, shape, fill, line, values });
  const f = COLORS.finding;
  const solid = (c: number[]) => [c[0], c[1], c[2], 255];
  return [
    ...(v.baseGrids && !v.caseLoad && !v.bandColors ? [row('legend.baseGrid', 'area', COLORS.baseGridFill[0], COLORS.baseGridLine)] : []),
    ...(v.baseGrids && v.bandColors && !v.caseLoad ? [
      row('legend.bandUnder', 'area', COLORS.band.under), row('legend.bandIn', 'area', COLORS.band.in), row('legend.bandOver', 'area', COLORS.band.over),
    ] : []),
    ...(v.baseGrids && v.caseLoad ? CASE_LOAD_STEPS.map((step, k) => row(k === 0 ? 'legend.caseLoadLow' : 'legend.caseLoadStep', 'area', COLORS.caseLoad[k], undefined, { n: step })) : []),
    ...(v.dedicatedGrids ? [row('legend.dedicatedGrid', 'area', COLORS.dedicatedFill, COLORS.dedicatedLine)] : []),
    ...(v.buildings ? [row('legend.building', 'area', COLORS.building), row('legend.buildingNonResidential', 'area', COLORS.buildingNonResidential)] : []),
    ...(v.households ? [row('legend.household', 'point', COLORS.household)] : []),
    ...(v.cases && v.caseHeat ? [{ key: 'legend.caseHeat', shape: 'ramp' as const, fill: [], ramp: COLORS.caseHeat }] : []),
    ...(v.cases && !v.caseHeat ? [
      row('legend.overdue', 'point', COLORS.caseStatus[CaseStatus.overdue]), row('legend.inProgress', 'point', COLORS.caseStatus[CaseStatus.inProgress]),
      row('legend.closed', 'point', COLORS.caseStatus[CaseStatus.closed]),
      { key: 'legend.caseBins', shape: 'ramp' as const, fill: [], ramp: [binColor(0, 1), binColor(1, 2), binColor(1, 1)] },
    ] : []),
    ...(v.findings ? [
      row('legend.gap', 'area', f.gap, solid(f.gap)), row('legend.overlap', 'area', f.overlap, solid(f.overlap)),
      row('legend.spill', 'area', f.spill, solid(f.spill)), row('legend.buildingFinding', 'area', f.building, solid(f.building)),
      row('legend.householdFinding', 'ring', [0, 0, 0, 0], f.household), row('legend.gridFinding', 'area', [0, 0, 0, 0], f.grid),
      row('legend.invalidEdges', 'line', f.edge), row('legend.boundaryFinding', 'area', f.boundary, solid(f.boundary)),
    ] : []),
    row('legend.selection', 'area', [0, 0, 0, 0], COLORS.highlight),
    ...(editing ? [
      row('edit.legend.handle', 'point', e.handle), row('edit.legend.shared', 'point', e.shared), row('edit.legend.midpoint', 'point', e.midpoint),
      row('edit.legend.active', 'point', e.active), row('edit.legend.snap', 'ring', [0, 0, 0, 0], e.snap), row('edit.legend.sketch', 'line', e.sketch),
      row('edit.legend.picked', 'area', e.pickedFill, e.picked),
    ] : []),
    ...(comparing ? [
      row('edit.legend.before', 'area', [0, 0, 0, 0], COLORS.compare.before), row('edit.legend.added', 'area', [0, 0, 0, 0], COLORS.compare.added),
      row('edit.legend.reshaped', 'area', [0, 0, 0, 0], COLORS.compare.reshaped), row('edit.legend.removed', 'area', [0, 0, 0, 0], COLORS.compare.removed),
    ] : []),
    ...(pins ? [row('plans.legendPin', 'point', COLORS.pin.fill)] : []),
  ];
}

export function LayerPanel({ visibility, onChange, editing = false, comparing = false, pins = false }: { visibility: LayerVisibility; onChange: (v: LayerVisibility) => void; editing?: boolean; comparing?: boolean; pins?: boolean }) {
  const { t } = useTranslation();
  const legend = legendRows(visibility, editing, comparing, pins);
  return (
    <aside className="panel layer-panel" data-testid="layer-panel">
      <h2>{t('layers.title')}</h2>
      {TOGGLES.map((k) => (
        <label key={k} className="toggle">
          <input
            type="checkbox"
            checked={visibility[k]}
            onChange={(e) => onChange({ ...visibility, [k]: e.target.checked })}
            data-testid={`toggle-${k}`}
          />
          {t(`layers.${k}`)}
        </label>
      ))}
      <h2>{t('legend.title')}</h2>
      <ul className="legend">
        {legend.map(({ key, shape, fill, line, ramp, values }) => (
          <li key={`${key}${values?.n ?? ''}`}>
            <span
              className={`swatch swatch-${shape}`}
              style={shape === 'ramp'
                ? { background: `linear-gradient(90deg, ${ramp!.map(css).join(', ')})` }
                : shape === 'line' ? { background: css(fill) }
                  : { background: css(fill), borderColor: line ? css(line) : 'transparent' }}
            />
            {t(key, values)}
          </li>
        ))}
      </ul>
    </aside>
  );
}
