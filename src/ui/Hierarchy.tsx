// Breadcrumbs district → street → community → grid, and the chosen level's totals.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { totalsOf, type District, type Totals } from '../domain/district';
import { streetOf } from '../domain/codes';
import { CaseStatus } from '../domain/cases';
import type { Selection } from '../map/state';

export interface Place {
  street?: string;
  community?: string;
  /** a grid's code */
  grid?: string;
}

/** Which grids are in a place (by grid index); null for the whole district, which also holds what no grid does. */
export function placeFilter(d: District, place: Place): ((grid: number) => boolean) | null {
  if (place.grid !== undefined) return (i) => i >= 0 && d.grids[i].properties.code === place.grid;
  if (place.community) return (i) => i >= 0 && d.grids[i].properties.community_code === place.community;
  if (place.street) return (i) => i >= 0 && streetOf(d.grids[i].properties.community_code) === place.street;
  return null;
}

interface Props {
  district: District;
  place: Place;
  onPlace: (p: Place, fly: Selection) => void;
}

export function Hierarchy({ district: d, place, onPlace }: Props) {
  const { t } = useTranslation();
  const byLevel = useMemo(() => {
    const idx = (level: string) => d.boundaries.map((b, i) => ({ b, i })).filter(({ b }) => b.properties.level === level);
    return { district: idx('district'), street: idx('street'), community: idx('community') };
  }, [d]);
  const districtIndex = byLevel.district[0]?.i ?? 0;
  const communities = byLevel.community.filter(({ b }) => b.properties.parent_code === place.street);
  const grids = d.grids.map((g, i) => ({ g, i })).filter(({ g }) => g.properties.community_code === place.community);

  const totals: Totals = useMemo(() => {
    const inPlace = placeFilter(d, place);
    if (inPlace) return totalsOf(d, inPlace);
    // The whole district counts every row, including what no grid holds.
    const all = totalsOf(d, () => true);
    let residents = 0;
    for (const r of d.households.residents) if (r > 0) residents += r;
    let openCases = 0;
    let overdueCases = 0;
    for (const s of d.cases.status) {
      if (s !== CaseStatus.closed) openCases++;
      if (s === CaseStatus.overdue) overdueCases++;
    }
    return { ...all, buildings: d.buildings.count, households: d.households.count, residents, openCases, overdueCases };
  }, [d, place]);

  const level = place.grid !== undefined ? 'grid' : place.community ? 'community' : place.street ? 'street' : 'district';
  const boundaryIndex = (code?: string) => d.boundaries.findIndex((b) => b.properties.code === code);

  return (
    <>
      <nav className="breadcrumbs" aria-label={t('hierarchy.title')} data-testid="breadcrumbs">
        <button type="button" onClick={() => onPlace({}, { kind: 'boundary', index: districtIndex })}>
          {d.meta.district_name}
        </button>
        <LevelSelect
          testId="choose-street"
          label={t('hierarchy.chooseStreet')}
          value={place.street}
          options={byLevel.street.map(({ b }) => [b.properties.code, b.properties.name])}
          onChange={(code) => onPlace({ street: code }, { kind: 'boundary', index: code ? boundaryIndex(code) : districtIndex })}
        />
        {place.street && (
          <LevelSelect
            testId="choose-community"
            label={t('hierarchy.chooseCommunity')}
            value={place.community}
            options={communities.map(({ b }) => [b.properties.code, b.properties.name])}
            onChange={(code) => onPlace({ street: place.street, community: code }, { kind: 'boundary', index: boundaryIndex(code ?? place.street) })}
          />
        )}
        {place.community && (
          <LevelSelect
            testId="choose-grid"
            label={t('hierarchy.chooseGrid')}
            value={place.grid}
            options={grids.map(({ g }) => [g.properties.code, g.properties.name])}
            onChange={(code) => onPlace({ ...place, grid: code }, code === undefined ? { kind: 'boundary', index: boundaryIndex(place.community) } : { kind: 'grid', code })}
          />
        )}
      </nav>
      <section className="totals" data-testid="totals" data-level={level}>
        <span className="totals-level">{t(`levels.${level}`)}</span>
        {(Object.keys(totals) as (keyof Totals)[]).map((k) => (
          <div key={k} className={`total total-${k}`}>
            <span className="total-value">{totals[k].toLocaleString()}</span>
            <span className="total-label">{t(`totals.${k}`)}</span>
          </div>
        ))}
      </section>
    </>
  );
}

/** One level of the breadcrumbs: a separator and a choice ('' = the level above as a whole). */
function LevelSelect({ testId, label, value, options, onChange }: {
  testId: string;
  label: string;
  value: string | undefined;
  options: [value: string, name: string][];
  onChange: (value: string | undefined) => void;
}) {
  return (
    <>
      <span className="sep">›</span>
      <select value={value ?? ''} aria-label={label} data-testid={testId} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{label}</option>
        {options.map(([v, name]) => <option key={v} value={v}>{name}</option>)}
      </select>
    </>
  );
}
