// Data: the saved workspaces (WorkspaceList), and import: open files (picker or drop), give
// each a role, confirm the column mapping and the coordinate system, then validate and save
// into a workspace in IndexedDB. What was rejected is listed with its reason and can be
// downloaded. A workspace file (.gridscope) dropped here comes back as a new workspace.
import * as Comlink from 'comlink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SidePanel } from './SidePanel';
import { errorText } from './errors';
import { db } from '../store/db';
import { Workspaces, requestPersistentStorage } from '../store/workspaces';
import { CANONICAL_FIELDS, REQUIRED_FIELDS, type LayerName } from '../io/layers';
import { guessFields } from '../io/fieldGuess';
import { defaultCrs, type SourceCrs } from '../io/crs';
import { toExcelCsv } from '../io/csv';
import { downloadFile } from './download';
import { WORKSPACE_FILE, WorkspaceList, type WorkspaceEntry } from './WorkspaceList';
import type { Source } from './loadDistrict';
import { importer } from './importClient';
import { ExportSection } from './ExportSection';
import type { FileSummary, SaveResult } from '../workers/import.worker';
import type { BBox } from '../io/flatgeobufUrl';

const ROLES: LayerName[] = ['grids', 'boundaries', 'buildings', 'households', 'cases'];
const CRS_CHOICES = ['wgs84', 'cgcs2000', 'gcj02', 'bd09', 'epsg'] as const;
type CrsChoice = (typeof CRS_CHOICES)[number];

interface Pending {
  file: FileSummary;
  role: LayerName;
  mapping: Record<string, string>;
  crs: CrsChoice;
  epsg: number;
  saving?: boolean;
  result?: SaveResult;
}

const store = new Workspaces(db);

export function ImportPanel({ source, districtName, viewBBox, onOpen, onClose }: {
  source: Source;
  /** the district on the map, when there is one to export */
  districtName: string | null;
  /** the map's view, for reading only that part of a large file from a URL */
  viewBBox: () => BBox | undefined;
  onOpen: (s: Source) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [workspaces, setWorkspaces] = useState<WorkspaceEntry[]>([]);
  const [target, setTarget] = useState<string>('');
  const [newName, setNewName] = useState('');
  const [pending, setPending] = useState<Pending[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [personal, setPersonal] = useState(false);

  const [storage, setStorage] = useState<{ usedMB: number; quotaMB: number; persisted: boolean } | null>(null);

  const refresh = useCallback(async () => {
    const est = await navigator.storage?.estimate?.().catch(() => null);
    const persisted = (await navigator.storage?.persisted?.().catch(() => false)) ?? false;
    if (est) setStorage({ usedMB: (est.usage ?? 0) / 2 ** 20, quotaMB: (est.quota ?? 0) / 2 ** 20, persisted });
    const rows = await store.list();
    const withLayers = await Promise.all(rows.map(async (row) => ({ row, layers: await db.layers.where('workspaceId').equals(row.id).toArray() })));
    setWorkspaces(withLayers);
    setTarget((cur) => (rows.some((r) => r.id === cur) ? cur : rows[0]?.id ?? ''));
  }, []);
  useEffect(() => { void refresh(); }, [refresh]);

  // The mapping the user confirmed for this role in the chosen workspace, where this file has
  // those columns, over the guess: next month's file from the same system maps itself.
  const mappingFor = useCallback((role: LayerName, columns: string[]) => {
    const remembered = workspaces.find((w) => w.row.id === target)?.row.mappings[role] ?? {};
    const usable = Object.fromEntries(Object.entries(remembered).filter(([, col]) => columns.includes(col)));
    return { ...guessFields(role, columns), ...usable };
  }, [workspaces, target]);

  const add = useCallback((read: FileSummary) => {
    const g = read.crsGuess;
    setPending((p) => [...p, {
      file: read, role: read.role, mapping: mappingFor(read.role, read.columns),
      crs: defaultCrs(g).kind as Pending['crs'], epsg: g.kind === 'gauss-kruger' ? g.epsg : 4528,
    }]);
  }, [mappingFor]);
  const fail = (e: unknown) => setErrors((x) => [...x, errorText(e, t)]);

  const open = useCallback(async (files: FileList | File[]) => {
    for (const f of Array.from(files)) {
      setBusy(f.name);
      try {
        if (f.name.toLowerCase().endsWith(WORKSPACE_FILE)) {
          const bytes = new Uint8Array(await f.arrayBuffer());
          const row = await importer().importArchive(f.name, Comlink.transfer(bytes, [bytes.buffer]));
          setTarget(row.id);
          await refresh();
          continue;
        }
        const bytes = new Uint8Array(await f.arrayBuffer());
        (await importer().read(f.name, Comlink.transfer(bytes, [bytes.buffer]))).forEach(add);
      } catch (e) {
        fail(e);
      } finally {
        setBusy(null);
      }
    }
  }, [refresh, add]);

  const openUrl = async () => {
    setBusy(url);
    try {
      add(await importer().readUrl(url.trim(), viewBBox()));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const update = (i: number, change: Partial<Pending>) => setPending((p) => p.map((x, k) => (k === i ? { ...x, ...change, result: undefined } : x)));

  const save = async (i: number) => {
    const p = pending[i];
    const crs: SourceCrs = p.crs === 'epsg' ? { kind: 'epsg', code: p.epsg } : { kind: p.crs };
    setPending((all) => all.map((x, k) => (k === i ? { ...x, saving: true } : x)));
    try {
      const result = await importer().save({
        fileId: p.file.id, role: p.role, mapping: p.mapping, crs,
        workspace: target ? { id: target } : { newName: newName.trim() || p.file.name },
      });
      if (result.workspaceId) setTarget(result.workspaceId);
      // Saved work should not be evicted when the disk fills: ask once there is some.
      if (result.saved && !storage?.persisted) await requestPersistentStorage();
      setPending((all) => all.map((x, k) => (k === i ? { ...x, saving: false, result } : x)));
      await refresh();
    } catch (e) {
      setPending((all) => all.map((x, k) => (k === i ? { ...x, saving: false } : x)));
      const full = (e as Error).name === 'StorageFullError';
      setErrors((x) => [...x, full ? t('import.storageFull', { name: p.file.name }) : errorText(e, t, p.file.name)]);
    }
  };

  const downloadRejected = (p: Pending) => {
    const csv = toExcelCsv([t('import.rejectedId'), t('import.rejectedReason')], p.result!.rejected.map((r) => [r.id, t(`skip.${r.code}`, r.params)]));
    downloadFile(`${p.file.name}-rejected.csv`, csv, 'text/csv;charset=utf-8');
  };

  const repairCounts = (r: SaveResult) => {
    const counts = new Map<string, number>();
    for (const x of r.repaired) counts.set(x.how, (counts.get(x.how) ?? 0) + 1);
    return [...counts];
  };

  const selected = useMemo(() => workspaces.find((w) => w.row.id === target), [workspaces, target]);
  // A file cannot be saved for a role until the fields it needs are mapped.
  const missingFields = (p: Pending) => (REQUIRED_FIELDS[p.role] ?? []).filter((f) => !p.mapping[f]);

  return (
    <SidePanel title={t('import.title')} testId="import" className="report import" onClose={onClose}>
      <h3>{t('workspaces.title')}</h3>
      {storage && (
        <p className="muted" data-testid="storage">
          {t('workspaces.storage', { used: storage.usedMB.toFixed(1), quota: Math.round(storage.quotaMB).toLocaleString() })}
          {' · '}{t(storage.persisted ? 'workspaces.persisted' : 'workspaces.notPersisted')}
        </p>
      )}
      <WorkspaceList store={store} workspaces={workspaces} source={source} personal={personal} onOpen={onOpen} onChanged={refresh} onError={(m) => setErrors((x) => [...x, m])} />
      {districtName && (
        <>
          <h3>{t('export.title')}</h3>
          <ExportSection districtName={districtName} personal={personal} onError={(m) => setErrors((x) => [...x, m])} />
        </>
      )}
      <label className="personal">
        <input type="checkbox" checked={personal} onChange={(e) => setPersonal(e.target.checked)} data-testid="export-personal" />
        {t('export.includePersonal')}
      </label>
      <h3>{t('import.heading')}</h3>
      <div className="import-row">
        <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="workspace-select" aria-label={t('import.workspace')}>
          <option value="">{t('import.newWorkspace')}</option>
          {workspaces.map((w) => <option key={w.row.id} value={w.row.id}>{w.row.name}</option>)}
        </select>
        {!target && (
          <input value={newName} onChange={(e) => setNewName(e.target.value)} placeholder={t('import.workspaceName')} aria-label={t('import.workspaceName')} data-testid="workspace-name" />
        )}
      </div>
      {selected && (
        <ul className="workspace-layers" data-testid="workspace-layers">
          {selected.layers.map((l) => (
            <li key={l.key}>{t(`layerNames.${l.role}`)}: <b>{l.count}</b> <span className="muted">{l.source.file}</span></li>
          ))}
        </ul>
      )}
      <label
        className="dropzone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => { e.preventDefault(); void open(e.dataTransfer.files); }}
      >
        {t('import.drop')}
        <input type="file" multiple accept={`.geojson,.json,.fgb,.zip,.csv,.xlsx,${WORKSPACE_FILE}`} data-testid="import-files" onChange={(e) => { if (e.target.files) void open(e.target.files); e.target.value = ''; }} />
      </label>
      <form className="import-row" onSubmit={(e) => { e.preventDefault(); void openUrl(); }}>
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/buildings.fgb" aria-label={t('import.url.label')} data-testid="import-url" />
        <button type="submit" disabled={!url.trim() || busy !== null} data-testid="import-url-read">{t('import.url.read')}</button>
      </form>
      {busy && <p className="muted" role="status">{t('import.reading', { name: busy })}</p>}
      {errors.map((e, i) => <p key={i} className="bad" role="alert">{e}</p>)}
      {pending.map((p, i) => (
        <section key={i} className="import-file" data-testid="import-file">
          <h4>{p.file.name} <span className="muted">{t(`import.formats.${p.file.format}`)} · {p.file.count}</span></h4>
          {p.file.notes.map((n, k) => <p key={k} className="muted">{t(n.key, n.values)}</p>)}
          <div className="import-row">
            <label>{t('import.role')}
              <select value={p.role} data-testid="import-role" onChange={(e) => { const role = e.target.value as LayerName; update(i, { role, mapping: mappingFor(role, p.file.columns) }); }}>
                {ROLES.map((r) => <option key={r} value={r}>{t(`layerNames.${r}`)}</option>)}
              </select>
            </label>
            <label>{t('import.crs')}
              <select value={p.crs} data-testid="import-crs" onChange={(e) => update(i, { crs: e.target.value as CrsChoice })}>
                {CRS_CHOICES.map((c) => <option key={c} value={c}>{t(`import.crsChoices.${c}`, { epsg: p.epsg })}</option>)}
              </select>
            </label>
          </div>
          <p className="muted">{t(`import.crsGuess.${p.file.crsGuess.kind}`)}</p>
          <table className="mapping">
            <tbody>
              {CANONICAL_FIELDS[p.role].map((field) => (
                <tr key={field}>
                  <td>{t(`fields.${field}`)} <code className="muted">{field}</code></td>
                  <td>
                    <select value={p.mapping[field] ?? ''} aria-label={field} onChange={(e) => update(i, { mapping: { ...p.mapping, [field]: e.target.value } })}>
                      <option value="">—</option>
                      {p.file.columns.map((c) => <option key={c} value={c}>{c}</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {missingFields(p).length > 0 && (
            <p className="bad" role="alert" data-testid="import-missing">
              {t('import.missingField', { fields: missingFields(p).map((f) => `${t(`fields.${f}`)}（${f}）`).join(t('import.listSep')) })}
            </p>
          )}
          <button type="button" className="primary" disabled={p.saving || missingFields(p).length > 0} onClick={() => void save(i)} data-testid="import-save">{p.saving ? t('import.saving') : t('import.save')}</button>
          {p.result && (
            <div data-testid="import-result">
              <p className={p.result.rejected.length ? 'warn' : 'ok'}>
                {t('import.summary', { imported: p.result.imported, rejected: p.result.rejected.length, repaired: p.result.repaired.length })}
                {p.result.repaired.length > 0 && t('import.repairedHow', { list: repairCounts(p.result).map(([how, n]) => t(`import.repairs.${how}`, { n })).join(t('import.listSep')) })}
                {p.result.outsideChina > 0 && ` · ${t('import.outsideChina', { n: p.result.outsideChina.toLocaleString() })}`}
                {p.result.conversion.kind !== 'none' && ` · ${t(`crs.${p.result.conversion.kind}`, { n: p.result.conversion.features, epsg: p.result.conversion.epsg })}`}
              </p>
              {p.result.rejected.length > 0 && (
                <>
                  <ul className="rejected" data-testid="import-rejected">
                    {groupRejected(p.result.rejected).slice(0, 30).map((g) => (
                      <li key={g.code}>
                        {g.count === 1 ? <><code>{g.examples[0]}</code> {t(`skip.${g.code}`, g.params)}</> : t('import.rejectedGroup', {
                          reason: t(`skip.${g.code}`, g.params), count: g.count.toLocaleString(), examples: g.examples.join(t('import.listSep')),
                        })}
                      </li>
                    ))}
                  </ul>
                  <button type="button" onClick={() => downloadRejected(p)}>{t('import.downloadRejected')}</button>
                </>
              )}
            </div>
          )}
        </section>
      ))}
    </SidePanel>
  );
}

/** Rejections with the same reason, once each, with how many and a few examples (the download has them all). */
function groupRejected(rejected: SaveResult['rejected']) {
  const groups = new Map<string, { code: string; params: Record<string, string | number>; count: number; examples: string[] }>();
  for (const r of rejected) {
    const g = groups.get(r.code) ?? { code: r.code, params: r.params, count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 3) g.examples.push(r.id);
    groups.set(r.code, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
