// The saved workspaces: open one on the map (or the demo), rename, delete, export as one
// file, and bring a workspace file back. Deleting asks once more, in place.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerRow, WorkspaceRow } from '../store/db';
import type { Workspaces } from '../store/workspaces';
import type { Source } from './loadDistrict';
import { DEMO } from './loadDistrict';
import { downloadFile } from './download';

export interface WorkspaceEntry {
  row: WorkspaceRow;
  layers: LayerRow[];
}

export const WORKSPACE_FILE = '.gridscope';

export function WorkspaceList({ store, workspaces, source, personal, onOpen, onChanged, onError }: {
  store: Workspaces;
  /** whether exports include the head of household and phone */
  personal: boolean;
  workspaces: WorkspaceEntry[];
  source: Source;
  onOpen: (s: Source) => void;
  onChanged: () => Promise<void>;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const onMap = (id: string) => source.kind === 'workspace' && source.id === id;

  const act = async (what: () => Promise<void>) => {
    try {
      await what();
      await onChanged();
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const rename = () => act(async () => {
    if (!renaming) return;
    await store.rename(renaming.id, renaming.name);
    setRenaming(null);
  });

  const remove = (id: string) => act(async () => {
    await store.remove(id);
    setDeleting(null);
    if (onMap(id)) onOpen(DEMO);
  });

  const exportArchive = (w: WorkspaceRow) => act(async () => {
    downloadFile(`${w.name}${WORKSPACE_FILE}`, await store.exportArchive(w.id, { includePersonal: personal }), 'application/zip', 'workspace');
  });

  return (
    <div data-testid="workspaces">
      <ul className="workspaces">
        <li className={source.kind === 'demo' ? 'current' : ''}>
          <span className="ws-name">{t('workspaces.demo')}</span>
          {source.kind === 'demo'
            ? <span className="muted">{t('workspaces.onMap')}</span>
            : <button type="button" onClick={() => onOpen(DEMO)} data-testid="open-demo">{t('workspaces.open')}</button>}
        </li>
        {workspaces.map(({ row, layers }) => (
          <li key={row.id} className={onMap(row.id) ? 'current' : ''} data-testid="workspace">
            {renaming?.id === row.id ? (
              <form onSubmit={(e) => { e.preventDefault(); void rename(); }} className="import-row">
                <input value={renaming.name} onChange={(e) => setRenaming({ id: row.id, name: e.target.value })} aria-label={t('workspaces.newName')} data-testid="rename-input" autoFocus />
                <button type="submit" className="primary" data-testid="rename-save">{t('workspaces.saveName')}</button>
                <button type="button" onClick={() => setRenaming(null)}>{t('workspaces.cancel')}</button>
              </form>
            ) : (
              <span className="ws-name" data-testid="workspace-name-label">{row.name}</span>
            )}
            <span className="muted ws-layers">
              {layers.length === 0 ? t('workspaces.empty') : layers.map((l) => `${t(`layerNames.${l.role}`)} ${l.count}`).join(' · ')}
            </span>
            <span className="ws-actions">
              {onMap(row.id)
                ? <span className="muted">{t('workspaces.onMap')}</span>
                : <button type="button" className="primary" onClick={() => onOpen({ kind: 'workspace', id: row.id })} data-testid="open-workspace">{t('workspaces.open')}</button>}
              <button type="button" onClick={() => setRenaming({ id: row.id, name: row.name })} data-testid="rename">{t('workspaces.rename')}</button>
              <button type="button" onClick={() => void exportArchive(row)} data-testid="export-workspace">{t('workspaces.export')}</button>
              {deleting === row.id
                ? <button type="button" className="danger" onClick={() => void remove(row.id)} data-testid="confirm-delete">{t('workspaces.confirmDelete')}</button>
                : <button type="button" onClick={() => setDeleting(row.id)} data-testid="delete">{t('workspaces.delete')}</button>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
