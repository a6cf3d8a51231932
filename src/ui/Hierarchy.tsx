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
  grid?: number;
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
    if (place.grid !== undefined) return totalsOf(d, (i) => i === place.grid);
    if (place.community) return totalsOf(d, (i) => d.grids[i].properties.community_code === place.community);
    if (place.street) return totalsOf(d, (i) => streetOf(d.grids[i].properties.community_code) === place.street);
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
    return { ...all, buildings: d.buildings.features.length, households: d.households.count, residents, openCases, overdueCases };
  }, [d, place]);

  const level = place.grid !== undefined ? 'grid' : place.community ? 'community' : place.street ? 'street' : 'district';
  const boundaryIndex = (code?: string) => d.boundaries.findIndex((b) => b.properties.code === code);

  return (
    <>
      <nav className="breadcrumbs" aria-label={t('hierarchy.title')} data-testid="breadcrumbs">
        <button type="button" onClick={() => onPlace({}, { kind: 'boundary', index: districtIndex })}>
          {d.meta.district_name}
        </button>
        <span className="sep">›</span>
        <select
          value={place.street ?? ''}
          aria-label={t('hierarchy.chooseStreet')}
          data-testid="choose-street"
          onChange={(e) => {
            const code = e.target.value || undefined;
            onPlace({ street: code }, { kind: 'boundary', index: code ? boundaryIndex(code) : districtIndex });
          }}
        >
          <option value="">{t('hierarchy.chooseStreet')}</option>
          {byLevel.street.map(({ b }) => <option key={b.properties.code} value={b.properties.code}>{b.properties.name}</option>)}
        </select>
        {place.street && (
          <>
            <span className="sep">›</span>
            <select
              value={place.community ?? ''}
              aria-label={t('hierarchy.chooseCommunity')}
              data-testid="choose-community"
              onChange={(e) => {
                const code = e.target.value || undefined;
                onPlace({ street: place.street, community: code }, { kind: 'boundary', index: boundaryIndex(code ?? place.street) });
              }}
            >
              <option value="">{t('hierarchy.chooseCommunity')}</option>
              {communities.map(({ b }) => <option key={b.properties.code} value={b.properties.code}>{b.properties.name}</option>)}
            </select>
          </>
        )}
        {place.community && (
          <>
            <span className="sep">›</span>
            <select
              value={place.grid ?? ''}
              aria-label={t('hierarchy.chooseGrid')}
              data-testid="choose-grid"
              onChange={(e) => {
                const g = e.target.value === '' ? undefined : Number(e.target.value);
                onPlace({ ...place, grid: g }, g === undefined ? { kind: 'boundary', index: boundaryIndex(place.community) } : { kind: 'grid', index: g });
              }}
            >
              <option value="">{t('hierarchy.chooseGrid')}</option>
              {grids.map(({ g, i }) => <option key={g.properties.code} value={i}>{g.properties.name}</option>)}
            </select>
          </>
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
