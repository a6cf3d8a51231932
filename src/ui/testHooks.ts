// What a test build of the page exposes on window.gridscope: feature counts and timings that
// the browser tests and the benchmark read. Plain numbers, no behaviour; nothing in production.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import { CaseStatus } from '../domain/cases';
import { GridLocator } from '../checks/locate';
import type { LayerVisibility, Selection } from '../map/state';
import type { Source } from './loadDistrict';
import type { CaseFilter } from '../domain/kpis';
import type { DraftState } from '../workspace/session';
import type { MapPin } from '../map/pins';

interface Exposed {
  district?: District;
  report?: Report;
  map?: MapLibreMap;
  /** when the map had the district's layers to draw (a workspace's preview, before its checks); performance.now() */
  shownAt?: number;
  /** when the district with its checks' results was on the page */
  loadedAt?: number;
  drawnAt?: number;
  visibility?: LayerVisibility;
  selection?: Selection | null;
  source?: Source;
  caseFilter?: CaseFilter;
  shownCases?: number;
  draft?: DraftState;
  /** on the office server: whether it can be reached, and the last edit someone else made (who, what, which grids) */
  online?: boolean;
  remoteEdit?: { by: string; type: string; grids: string[]; at: number };
  /** the big screen: the area shown, the tour's step, the feed, whether it is fully drawn */
  screen?: { area: string; step: number; stepAt: number; polls: number; feed: { lastOk: number | null; failing: string | null }; drawn: boolean; ready: boolean };
  /** review comments pinned on the console's map (id, place, number, text) */
  pins?: MapPin[];
  /** the big screen's district as tests may read it: its grids, the cases' grids (nothing personal) */
  wallDistrict?: { grids: District['grids']; cases: Pick<District['cases'], 'ids' | 'grid'> };
  /** the wall on the office server: the published version it shows; how many newer ones it drew in place, and opened anew */
  wall?: { published: number | null; redraws: number; reloads: number };
  /** the last edit (made here or followed from another tab): codes it changed, ms from asking to the page's new state, the worker's own ms, when it was on the page (epoch ms) */
  lastEdit?: { changed: string[]; ms: number; worker: { plan: number; check: number; save: number; view: number }; at: number };
}

const state: Exposed = {};
let located: { district: District; locator: GridLocator } | undefined;

export function exposeForTests(part: Exposed) {
  // Only in a test build (vite build --mode test, as npm test and the benchmark make): a
  // deployed page puts nothing, personal data least of all, on window.
  if (import.meta.env.MODE !== 'test') return;
  Object.assign(state, part);
  const d = state.district;
  const map = state.map;
  (window as unknown as { gridscope: unknown }).gridscope = {
    ready: state.drawnAt !== undefined,
    drawnAt: state.drawnAt,
    shownAt: state.shownAt,
    loadedAt: state.loadedAt,
    counts: d && {
      baseGrids: d.grids.filter((g) => g.properties.kind === 'base').length,
      dedicatedGrids: d.grids.filter((g) => g.properties.kind === 'dedicated').length,
      buildings: d.buildings.count,
      households: d.households.count,
      cases: d.cases.count,
      openCases: d.cases.status.reduce((n, s) => n + (s !== CaseStatus.closed ? 1 : 0), 0),
    },
    visibility: state.visibility,
    selection: state.selection,
    view: () => map && { center: map.getCenter().toArray(), zoom: map.getZoom() },
    project: (lon: number, lat: number) => map && map.project([lon, lat]),
    unproject: (x: number, y: number) => map && map.unproject([x, y]),
    jumpTo: (lon: number, lat: number, zoom: number) => map?.jumpTo({ center: [lon, lat], zoom }),
    /** when the map next has nothing left to draw (performance.now()) */
    // (a repaint asked for first: a map already idle fires no 'idle' until something draws)
    whenIdle: () => map && new Promise<number>((done) => { map.once('idle', () => done(performance.now())); map.triggerRepaint(); }),
    locate: (lon: number, lat: number) => {
      if (!d) return -1;
      if (located?.district !== d) located = { district: d, locator: new GridLocator(d.grids) };
      return located.locator.locate(lon, lat);
    },
    // (the big screen exposes only its grids and cases' grids)
    district: d ?? state.wallDistrict,
    report: state.report,
    source: state.source,
    caseFilter: state.caseFilter,
    shownCases: state.shownCases,
    draft: state.draft,
    screen: state.screen,
    wall: state.wall,
    lastEdit: state.lastEdit,
    pins: state.pins,
  };
}
