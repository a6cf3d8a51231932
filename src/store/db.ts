// IndexedDB through Dexie. For now it keeps the console's settings (language, layers);
// workspaces come with the importers.
import Dexie, { type EntityTable } from 'dexie';

export interface SettingRow {
  key: string;
  value: unknown;
}

class GridScopeDB extends Dexie {
  settings!: EntityTable<SettingRow, 'key'>;
  constructor() {
    super('gridscope');
    this.version(1).stores({ settings: 'key' });
  }
}

export const db = new GridScopeDB();

export async function loadSetting<T>(key: string, fallback: T): Promise<T> {
  try {
    const row = await db.settings.get(key);
    return row ? (row.value as T) : fallback;
  } catch (e) {
    console.warn(`settings: could not read "${key}"`, e); // storage disabled: the console still works
    return fallback;
  }
}

export async function saveSetting(key: string, value: unknown): Promise<void> {
  try {
    await db.settings.put({ key, value });
  } catch (e) {
    console.warn(`settings: could not save "${key}"`, e);
  }
}
