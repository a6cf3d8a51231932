// Exports of the district on the map: grids as GeoJSON, FlatGeobuf and zipped Shapefile,
// the whole district as Shapefiles, the household → grid assignment as CSV for Excel. Made
// in the district worker; heads of household and phones go out only when the user ticks the box.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPORTS, type ExportKind } from '../workers/district.worker';
import { exportDistrict } from './loadDistrict';
import { downloadFile } from './download';
import type { Language } from '../i18n';

export function ExportSection({ districtName, personal, onError }: { districtName: string; personal: boolean; onError: (m: string) => void }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<ExportKind | null>(null);

  const run = async (kind: ExportKind) => {
    setBusy(kind);
    try {
      const out = await exportDistrict(kind, personal, i18n.language as Language);
      downloadFile(`${districtName}-${t(`export.files.${kind}`)}.${out.ext}`, out.data, out.type, kind);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="import-row" data-testid="exports">
      {EXPORTS.map((kind) => (
        <button key={kind} type="button" disabled={busy !== null} onClick={() => void run(kind)} data-testid={`export-${kind}`}>
          {busy === kind ? t('export.making') : t(`export.kinds.${kind}`)}
        </button>
      ))}
    </div>
  );
}
