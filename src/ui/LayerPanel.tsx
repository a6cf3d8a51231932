// Layer toggles and the legend.
import { useTranslation } from 'react-i18next';
import type { LayerVisibility } from '../map/state';
import { CASE_LOAD_STEPS, COLORS } from '../map/layers';
import { CaseStatus } from '../domain/cases';

const TOGGLES: (keyof LayerVisibility)[] = [
  'baseGrids', 'dedicatedGrids', 'buildings', 'buildings3d', 'households', 'cases', 'caseHeat', 'caseLoad', 'labels', 'findings', 'bandColors',
];

/** message key, fill, outline, message values */
type LegendRow = [string, number[], number[]?, Record<string, number>?];

const css = (c: number[]) => `rgba(${c[0]},${c[1]},${c[2]},${(c[3] ?? 255) / 255})`;

export function LayerPanel({ visibility, onChange }: { visibility: LayerVisibility; onChange: (v: LayerVisibility) => void }) {
  const { t } = useTranslation();
  const legend: LegendRow[] = [
    ['legend.baseGrid', COLORS.baseGridFill[0], COLORS.baseGridLine],
    ['legend.dedicatedGrid', COLORS.dedicatedFill, COLORS.dedicatedLine],
    ['legend.building', COLORS.building],
    ['legend.buildingNonResidential', COLORS.buildingNonResidential],
    ['legend.household', COLORS.household],
    ['legend.overdue', COLORS.caseStatus[CaseStatus.overdue]],
    ['legend.inProgress', COLORS.caseStatus[CaseStatus.inProgress]],
    ['legend.closed', COLORS.caseStatus[CaseStatus.closed]],
    ['legend.caseBins', COLORS.caseStatus[CaseStatus.overdue]],
    ...(visibility.caseLoad ? CASE_LOAD_STEPS.map((step, k) => [k === 0 ? 'legend.caseLoadLow' : 'legend.caseLoadStep', COLORS.caseLoad[k], undefined, { n: step }]) as LegendRow[] : []),
    ...(visibility.bandColors ? [
      ['findings.kinds.under_band', COLORS.band.under], ['report.bandIn', COLORS.band.in], ['findings.kinds.over_band', COLORS.band.over],
    ] as [string, number[]][] : []),
    ...(visibility.findings ? [
      ['findings.kinds.gap', COLORS.finding.gap], ['findings.kinds.overlap', COLORS.finding.overlap],
      ['findings.kinds.spill', COLORS.finding.spill], ['findings.kinds.straddling_building', COLORS.finding.building],
    ] as [string, number[]][] : []),
  ];
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
        {legend.map(([key, fill, line, values]) => (
          <li key={`${key}${values?.n ?? ''}`}>
            <span className="swatch" style={{ background: css(fill), borderColor: line ? css(line) : 'transparent' }} />
            {t(key, values)}
          </li>
        ))}
      </ul>
    </aside>
  );
}
