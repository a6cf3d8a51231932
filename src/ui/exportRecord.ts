// On the office server, a file the page writes of the district on the map (CSV, GeoJSON,
// Shapefile, a workspace file) is put on the server's audit trail, as the files the server
// sends are: which kind, which file. Off a server nothing is sent. A failure only warns: the
// user has the file already, and the server's own log says what it could not record.
import { call, isServerMode } from './server';

/** The server district on the map (set when one has loaded; null for the demo or a local workspace). */
let onMap: string | null = null;

export function setServerDistrict(id: string | null) {
  onMap = id;
}

/** A kind as the server takes it: a–z and _ (grids-geojson → grids_geojson), at most 30. */
export function exportKind(text: string): string {
  return text.toLowerCase().replace(/[^a-z_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30) || 'file';
}

export function recordExport(kind: string, file: string): void {
  if (!onMap || !isServerMode()) return;
  call(`/api/districts/${encodeURIComponent(onMap)}/exported`, { body: { kind: exportKind(kind), file: file.slice(0, 200) } })
    .catch((e: unknown) => console.warn(`gridscope: ${file} was not put on the server's audit trail (${e instanceof Error ? e.message : String(e)})`));
}
