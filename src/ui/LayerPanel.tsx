// Layer toggles and the legend.
import { useTranslation } from 'react-i18next';
import type { LayerVisibility } from '../map/state';
import { COLORS } from '../map/layers';
import { CaseStatus } from '../domain/cases';

const TOGGLES: (keyof LayerVisibility)[] = [
  'baseGrids', 'dedicatedGrids', 'buildings', 'buildings3d', 'households', 'cases', 'casesClosed', 'labels', 'findings', 'bandColors',
];

const css = (c: number[]) => `rgba(${c[0]},${c[1]},${c[2]},${(c[3] ?? 255) / 255})`;

export function LayerPanel({ visibility, onChange }: { visibility: LayerVisibility; onChange: (v: LayerVisibility) => void }) {
  const { t } = useTranslation();
  const legend: [string, number[], number[]?][] = [
    ['baseGrid', COLORS.baseGridFill[0], COLORS.baseGridLine],
    ['dedicatedGrid', COLORS.dedicatedFill, COLORS.dedicatedLine],
    ['building', COLORS.building],
    ['buildingNonResidential', COLORS.buildingNonResidential],
    ['household', COLORS.household],
    ['overdue', COLORS.caseStatus[CaseStatus.overdue]],
    ['inProgress', COLORS.caseStatus[CaseStatus.inProgress]],
    ['closed', COLORS.caseStatus[CaseStatus.closed]],
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
        {legend.map(([key, fill, line]) => (
          <li key={key}>
            <span className="swatch" style={{ background: css(fill), borderColor: line ? css(line) : 'transparent' }} />
            {t(`legend.${key}`)}
          </li>
        ))}
      </ul>
    </aside>
  );
}
