// The page's own export files go on the office server's audit trail: only when the page is on
// a server and a server district is on the map; the kind as the server takes it; a failed call
// only warns (the file is the user's already).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportKind, recordExport, setServerDistrict } from '../../src/ui/exportRecord';

const sent: { url: string; body: unknown }[] = [];
const onServer = (yes: boolean) => vi.stubGlobal('document', { querySelector: (s: string) => (yes && s === 'meta[name="gridscope-server"]' ? { getAttribute: () => '1' } : null) });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('an export the page writes', () => {
  beforeEach(() => {
    sent.length = 0;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => { sent.push({ url, body: JSON.parse(String(init.body)) }); return new Response(null, { status: 204 }); });
  });
  afterEach(() => { vi.unstubAllGlobals(); vi.restoreAllMocks(); setServerDistrict(null); });

  it('is put on record for the server district on the map, as a kind the server takes', async () => {
    onServer(true);
    setServerDistrict('d42');
    recordExport('grids-geojson', '名册区-网格.geojson');
    await settle();
    expect(sent).toEqual([{ url: '/api/districts/d42/exported', body: { kind: 'grids_geojson', file: '名册区-网格.geojson' } }]);
    expect(['assignment-csv', 'district-shp', 'file_csv', 'File 2.CSV', '---'].map(exportKind)).toEqual(['assignment_csv', 'district_shp', 'file_csv', 'file_csv', 'file']);
  });

  it('is not sent off a server, nor for the demo or a local workspace', async () => {
    onServer(false);
    setServerDistrict('d42');
    recordExport('grids-geojson', 'a.geojson');
    onServer(true);
    setServerDistrict(null);
    recordExport('grids-geojson', 'a.geojson');
    await settle();
    expect(sent).toEqual([]);
  });

  it('only warns when the server cannot record it', async () => {
    onServer(true);
    setServerDistrict('d42');
    vi.stubGlobal('fetch', async () => { throw new TypeError('offline'); });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    recordExport('assignment-csv', 'a.csv');
    await settle();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('a.csv');
  });
});
