// Search: type, pick a hit (or press Enter for the first), the map flies there.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { District } from '../domain/district';
import { searchDistrict } from '../workspace/search';
import type { Selection } from '../map/state';

export function SearchBox({ district, onPick }: { district: District; onPick: (s: Selection) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const hits = useMemo(() => searchDistrict(district, q), [district, q]);
  const pick = (i: number) => {
    const h = hits[i];
    if (!h) return;
    onPick(h.kind === 'grid' ? { kind: 'grid', code: district.grids[h.index].properties.code } : { kind: h.kind, index: h.index });
    setOpen(false);
  };
  return (
    <div className="search">
      <input
        type="search"
        value={q}
        placeholder={t('search.placeholder')}
        aria-label={t('search.placeholder')}
        data-testid="search"
        onChange={(e) => { setQ(e.target.value); setOpen(true); }}
        onKeyDown={(e) => { if (e.key === 'Enter') pick(0); if (e.key === 'Escape') setOpen(false); }}
      />
      {open && q.trim() !== '' && (
        <ul className="search-results" data-testid="search-results">
          {hits.length === 0 && <li className="empty">{t('search.noResults', { q })}</li>}
          {hits.map((h, i) => (
            <li key={`${h.kind}-${h.index}`}>
              <button type="button" onClick={() => pick(i)}>
                <span className={`kind kind-${h.kind}`}>{t(`search.kinds.${h.kind}`)}</span>
                <span className="label">{h.label}</span>
                <span className="detail">{h.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
