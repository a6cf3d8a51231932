// The map: MapLibre with the offline base style, deck.gl interleaved on top.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Map as MapLibreMap, NavigationControl, ScaleControl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { District } from '../domain/district';
import type { Report } from '../checks/report';
import { baseStyle, GRID_LINES_LAYER, GRID_LINES_SOURCE, gridLines } from './baseStyle';
import { buildLayers, CASE_POINT_ZOOM, COLORS, comparisonLayers, HOUSEHOLD_POINT_ZOOM, pointSubset, type PointSubset } from './layers';
import { BUILDING_BUDGET, buildingMesh, buildingsIn, HOUSEHOLD_BUDGET, pointsIn, widen, type BuildingMesh } from './inView';
import type { Feature } from 'geojson';
import { Picker, type PickView } from './pick';
import { binCases } from './caseBins';
import { communityLabels, gridLabels } from './labels';
import type { LayerVisibility, Selection } from './state';
import type { EditMode, ModeEvent, ModeHint, ModeHost } from './modes/types';
import { snapPoint } from './modes/snap';
import { buildingFeature } from '../workspace/buildingTable';
import type { EditOp } from '../plan/types';
import { pinAt, pinLayers, type MapPin } from './pins';

export type BBox = [number, number, number, number];

export interface Focus {
  bbox: BBox;
  /** changes on every request, so asking twice for the same place still flies there */
  nonce: number;
}

interface Props {
  district: District;
  report: Report;
  visibility: LayerVisibility;
  selection: Selection | null;
  /** the cases shown (1) after the filters */
  caseMask: Uint8Array;
  /** open cases shown per 100 households, per grid */
  gridLoad: Float32Array;
  focus: Focus | null;
  onSelect: (s: Selection | null) => void;
  /** the editing mode on (the editor is open), and what it may ask for */
  edit?: {
    mode: EditMode;
    selected: string | null;
    apply: (op: EditOp) => void;
    drawOptions: ModeHost['drawOptions'];
    /** a key the mode did not take (mode shortcuts, undo) */
    onKey: (e: KeyboardEvent) => void;
    /** the mode's hint changed */
    onHint: (hint: ModeHint) => void;
  } | null;
  /** outlines of a comparison of the draft with a version, drawn over everything */
  comparison?: Feature[] | null;
  /** review comments pinned on the map (their text on hover or click), and the one picked in a list */
  pins?: MapPin[] | null;
  activePin?: number | null;
  /** a click places a comment instead of selecting: where, and the grid under it */
  onPin?: ((at: [number, number], grid: string | null) => void) | null;
  /** map labels this many times their desk size (the big screen) */
  labelScale?: number;
  /** false while the map draws a preview (the checks still running): its first full draw is reported once this is true */
  complete?: boolean;
  /** called once when the district has been fully drawn the first time, with when (performance.now()) */
  onDrawn: (map: MapLibreMap, atMs: number) => void;
}

export function MapView({ district, report, visibility, selection, caseMask, gridLoad, focus, onSelect, onDrawn, edit = null, comparison = null, labelScale = 1, complete = true, pins = null, activePin = null, onPin = null }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const [zoom, setZoom] = useState(13);
  // The map whose first full draw has been reported (a map is made anew per district, and
  // twice in development under StrictMode).
  const drawnFor = useRef<MapLibreMap | null>(null);

  // A live case feed replaces district.cases only: what depends on the rest stays as it is.
  const { grids, households: householdTable, cases: caseTable } = district;
  const labels = useMemo(() => ({ grid: gridLabels(district), community: communityLabels(district) }), [grids]);
  // Points by their coordinates only: an edit that moves households between grids draws the same points.
  const allHouseholds = useMemo(() => pointSubset(householdTable.positions, () => true), [householdTable.positions]);
  // A city's households and buildings: what is in and around the view, while that is not too
  // many; else their density (src/map/inView.ts). A small district draws everything, as it is.
  const [around, setAround] = useState<{ box: BBox; zoom: number } | null>(null);
  const manyHouseholds = householdTable.count > HOUSEHOLD_BUDGET;
  const householdBox = manyHouseholds && zoom >= HOUSEHOLD_POINT_ZOOM ? around?.box ?? null : null;
  const householdView = useMemo((): { mode: 'points' | 'dots' | 'density'; points: PointSubset } => {
    if (!manyHouseholds) return { mode: zoom >= HOUSEHOLD_POINT_ZOOM ? 'points' : 'dots', points: allHouseholds };
    const near = householdBox && pointsIn(householdTable.positions, householdBox, HOUSEHOLD_BUDGET);
    return near ? { mode: 'points', points: near } : { mode: 'density', points: NO_POINTS };
  }, [allHouseholds, manyHouseholds, householdBox, zoom >= HOUSEHOLD_POINT_ZOOM]);
  const households = householdView.points;
  const buildingTable = district.buildings;
  const buildingBox = buildingTable.count > BUILDING_BUDGET ? around?.box ?? null : null;
  const buildingShapes = useMemo(() => {
    if (buildingTable.count > 0 && buildingTable.triangles.length === 0) return null; // not cut yet (a city's preview): the density
    if (buildingTable.count <= BUILDING_BUDGET) return allBuildings(buildingTable);
    const near = buildingBox && buildingsIn(buildingTable, buildingBox, BUILDING_BUDGET);
    return near ? buildingMesh(buildingTable, near) : null;
    // (by the footprints: the checks' District brings the preview's own, placed in grids)
  }, [buildingTable.shapes, buildingTable.triangles, buildingBox]);
  const cases = useMemo(() => pointSubset(
    caseTable.positions,
    (i) => caseMask[i] === 1,
    (i) => COLORS.caseStatus[caseTable.status[i] as 0 | 1 | 2],
  ), [caseTable.positions, caseTable.status, caseMask]);
  const binZoom = zoom < CASE_POINT_ZOOM ? Math.floor(zoom) : null;
  const caseBins = useMemo(() => (binZoom === null ? null : binCases(cases, caseTable.status, binZoom)), [cases, caseTable, binZoom]);

  // The map is made once per opened district (App mounts a new MapView for each): edits and
  // case feeds update its layers in place.
  useEffect(() => {
    const map = new MapLibreMap({
      container: container.current!,
      style: baseStyle(district),
      bounds: districtBounds(district),
      fitBoundsOptions: { padding: 40 },
      attributionControl: false,
      maxZoom: 19,
    });
    map.addControl(new NavigationControl({ visualizePitch: true }), 'bottom-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    const overlay = new MapboxOverlay({ interleaved: true, layers: [] });
    map.addControl(overlay);
    map.on('zoomend', () => setZoom(map.getZoom()));
    // What lies around the view, kept while the view stays inside it at the same zoom (a short
    // pan changes nothing drawn), else worked out again once the map stops.
    const look = () => {
      const b = map.getBounds();
      const view: BBox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
      const z = Math.floor(map.getZoom());
      setAround((a) => (a && a.zoom === z && a.box[0] <= view[0] && a.box[1] <= view[1] && a.box[2] >= view[2] && a.box[3] >= view[3] ? a : { box: widen(view), zoom: z }));
    };
    map.on('moveend', look);
    look();
    mapRef.current = map;
    overlayRef.current = overlay;
    setZoom(map.getZoom());
    return () => {
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
  }, []);

  // Click → selection, picked on the CPU from the drawn tables (pick.ts): GPU picking on
  // software WebGL takes longer than a click lasts. The handler reads the current view here.
  const picker = useMemo(() => new Picker(district), [grids, district.buildings]);
  const view = useRef<Omit<PickView, 'degPerPx'> | null>(null);
  view.current = { visibility, householdPoints: householdView.mode === 'points', buildingShapes: buildingShapes !== null, households, cases, caseBins, report };
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const onClick = (e: MapMouseEvent) => {
      const place = onPinRef.current;
      if (place) {
        const g = picker.gridAt(e.lngLat.lng, e.lngLat.lat);
        place([e.lngLat.lng, e.lngLat.lat], g >= 0 ? district.grids[g].properties.code : null);
        return;
      }
      const ed = editRef.current;
      if (ed && ed.mode.click?.(modeEvent(e), hostRef.current!)) return;
      // A click on a comment's pin keeps its text shown (until a click elsewhere); an editing tool's click comes first.
      const pin = pinAt(pinsRef.current ?? [], (at) => map.project(at), e.point.x, e.point.y);
      setTip(pin ? { id: pin.id, held: true } : null);
      if (pin) return;
      const a = map.unproject([e.point.x - 0.5, e.point.y - 0.5]), b = map.unproject([e.point.x + 0.5, e.point.y + 0.5]);
      const hit = picker.pick(e.lngLat.lng, e.lngLat.lat, { ...view.current!, degPerPx: [Math.abs(b.lng - a.lng), Math.abs(b.lat - a.lat)] });
      if (hit && 'bin' in hit) {
        // A bin of cases: zoom into it, to the level where its cases are points.
        const bins = view.current!.caseBins!;
        const [w, s, e2, n] = bins.bounds.subarray(4 * hit.bin, 4 * hit.bin + 4);
        map.fitBounds([[w, s], [e2, n]], { padding: 80, duration: 600, minZoom: CASE_POINT_ZOOM, maxZoom: 17 });
        return;
      }
      onSelectRef.current(hit ? hit.selection : null);
    };
    map.on('click', onClick);
    return () => { map.off('click', onClick); };
  }, [picker]);

  // Comments: the pin under the pointer says its text; a click holds it; placing one is a crosshair.
  const pinsRef = useRef(pins);
  pinsRef.current = pins;
  const onPinRef = useRef(onPin);
  onPinRef.current = onPin;
  const [tip, setTip] = useState<{ id: number; held: boolean } | null>(null);
  const tipRef = useRef(tip);
  tipRef.current = tip;
  const [, setMoved] = useState(0);
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const onMove = (e: MapMouseEvent) => {
      const pin = pinAt(pinsRef.current ?? [], (at) => map.project(at), e.point.x, e.point.y);
      setTip((t) => (t?.held ? t : pin ? (t?.id === pin.id ? t : { id: pin.id, held: false }) : null));
    };
    const redraw = () => { if (tipRef.current) setMoved((n) => n + 1); }; // only a shown tip follows the map
    map.on('mousemove', onMove);
    map.on('move', redraw);
    return () => { map.off('mousemove', onMove); map.off('move', redraw); };
  }, []);
  useEffect(() => { if (activePin !== null) setTip({ id: activePin, held: true }); }, [activePin]);
  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas) canvas.style.cursor = onPin ? 'crosshair' : '';
  }, [onPin]);
  const tipPin = tip && pins?.find((p) => p.id === tip.id);
  const tipAt = tipPin && mapRef.current ? mapRef.current.project(tipPin.at) : null;

  // Editing: the mode gets the pointer (a drag it takes does not pan the map) and the keys.
  const editRef = useRef(edit);
  editRef.current = edit;
  const [tick, setTick] = useState(0);
  const hostRef = useRef<ModeHost | null>(null);
  hostRef.current = edit ? {
    district,
    selected: edit.selected,
    select: (code) => onSelectRef.current(code ? { kind: 'grid', code } : null),
    gridAt: ([x, y]) => { const g = picker.gridAt(x, y); return g >= 0 ? district.grids[g].properties.code : null; },
    buildingAt: ([x, y]) => picker.buildingAt(x, y),
    degPerPx: degPerPx(mapRef.current),
    snap: (at, exclude) => {
      // Building corners near the pointer only: a city's 200,000 footprints are not walked per move.
      const tol = SNAP_PX * degPerPx(mapRef.current);
      const near = picker.buildingsIn(at[0] - tol, at[1] - tol, at[0] + tol, at[1] + tol).map((i) => buildingFeature(district.buildings, i));
      return snapPoint(at, tol, district.grids, near, exclude ?? null);
    },
    apply: edit.apply,
    redraw: () => setTick((n) => n + 1),
    drawOptions: edit.drawOptions,
  } : null;
  const editing = edit !== null;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !editing) return;
    let dragging = false;
    const host = () => hostRef.current!;
    const mode = () => editRef.current?.mode;
    const onDown = (e: MapMouseEvent) => {
      if (e.originalEvent.button !== 0) return;
      if (mode()?.down?.(modeEvent(e), host())) { dragging = true; map.dragPan.disable(); }
    };
    const onMove = (e: MapMouseEvent) => mode()?.move?.(modeEvent(e), host());
    const onUp = (e: MapMouseEvent) => {
      if (!dragging) return;
      dragging = false;
      mode()?.up?.(modeEvent(e), host());
      map.dragPan.enable();
    };
    const onDbl = (e: MapMouseEvent) => { if (mode()?.dblclick?.(modeEvent(e), host())) e.preventDefault(); };
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName)) return;
      if (!e.ctrlKey && !e.metaKey && mode()?.key?.(e.key, host())) { e.preventDefault(); e.stopImmediatePropagation(); return; }
      editRef.current?.onKey(e);
    };
    map.doubleClickZoom.disable();
    map.boxZoom.disable();
    map.on('mousedown', onDown);
    map.on('mousemove', onMove);
    map.on('mouseup', onUp);
    map.on('dblclick', onDbl);
    window.addEventListener('keydown', onKey, true);
    return () => {
      map.off('mousedown', onDown);
      map.off('mousemove', onMove);
      map.off('mouseup', onUp);
      map.off('dblclick', onDbl);
      window.removeEventListener('keydown', onKey, true);
      map.doubleClickZoom.enable();
      map.boxZoom.enable();
      map.dragPan.enable();
    };
  }, [editing]);
  const hint = edit && hostRef.current ? edit.mode.hint(hostRef.current) : null;
  const hintKey = hint ? JSON.stringify(hint) : '';
  useEffect(() => { if (hint) editRef.current?.onHint(hint); }, [hintKey]);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    const overlay = overlayRef.current;
    const map = mapRef.current;
    if (!overlay || !map) return;
    overlay.setProps({
      layers: [
        ...buildLayers({
          district, visibility, zoom, selection, buildings: buildingShapes, householdsMode: householdView.mode, households, cases, caseBins, gridLoad,
          gridLabels: labels.grid, communityLabels: labels.community, report, labelScale,
        }),
        ...(comparison ? comparisonLayers(comparison) : []),
        ...(pins?.length ? pinLayers(pins, tip?.id ?? null) : []),
        ...(edit && hostRef.current ? edit.mode.layers(hostRef.current) : []),
      ],
    });
    if (complete && drawnFor.current !== map) {
      drawnFor.current = map;
      whenSettled(map, (at) => onDrawn(map, at));
    }
  }, [complete, district, report, visibility, zoom, selection, buildingShapes, householdView, cases, caseBins, gridLoad, labels, onDrawn, edit?.mode, edit?.selected, tick, comparison, labelScale, pins, tip?.id]);

  // The base grids' outlines are MapLibre's (baseStyle.ts): shown with the base grids, and
  // given the grids again after an edit.
  const linesFor = useRef(grids);
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      map.setLayoutProperty(GRID_LINES_LAYER, 'visibility', visibility.baseGrids ? 'visible' : 'none');
      if (linesFor.current !== grids) {
        linesFor.current = grids;
        (map.getSource(GRID_LINES_SOURCE) as GeoJSONSource | undefined)?.setData(gridLines(grids));
      }
    };
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
  }, [grids, visibility.baseGrids]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !focus) return;
    const [w, s, e, n] = focus.bbox;
    // Leave room for the panels over the map, and stop at a zoom where the feature is still
    // seen among its neighbours (a building with its street, a point with the buildings around).
    const padding = panelPadding(container.current!);
    if (w === e && s === n) map.flyTo({ center: [w, s], zoom: FOCUS_POINT_ZOOM, padding, duration: 800 });
    else map.fitBounds([[w, s], [e, n]], { padding, duration: 800, maxZoom: FOCUS_MAX_ZOOM });
  }, [focus]);

  return (
    <>
      <div ref={container} className="map" data-testid="map" />
      {tipPin && tipAt && <div className="pin-tip" role="tooltip" data-testid="pin-tip" style={{ left: tipAt.x, top: tipAt.y }}>{tipPin.text}</div>}
    </>
  );
}

const NO_POINTS: PointSubset = { index: new Uint32Array(0), positions: new Float64Array(0) };

const meshes = new WeakMap<District['buildings']['shapes'], BuildingMesh>();

/** Every footprint of a small table, made once per set of footprints. */
function allBuildings(t: District['buildings']): BuildingMesh {
  let m = meshes.get(t.shapes);
  if (!m) { m = buildingMesh(t, null); meshes.set(t.shapes, m); }
  return m;
}

/** How near (screen pixels) a point snaps to a vertex, a building corner or an edge. */
const SNAP_PX = 10;

function degPerPx(map: MapLibreMap | null): number {
  if (!map) return 1e-5;
  const c = map.getCenter();
  const p = map.project(c);
  const q = map.unproject([p.x + 1, p.y]);
  return Math.abs(q.lng - c.lng);
}

function modeEvent(e: MapMouseEvent): ModeEvent {
  const o = e.originalEvent as MouseEvent;
  return { at: [e.lngLat.lng, e.lngLat.lat], point: [e.point.x, e.point.y], alt: o.altKey, shift: o.shiftKey };
}

/** The zoom a point is shown at, and the most a fly to an area zooms in. */
const FOCUS_POINT_ZOOM = 17;
const FOCUS_MAX_ZOOM = 17;

/** Padding (px) that keeps a fly's target clear of the panels lying over the map. */
function panelPadding(map: HTMLElement) {
  const m = map.getBoundingClientRect();
  const pad = { top: 70, bottom: 40, left: 40, right: 40 };
  for (const el of document.querySelectorAll<HTMLElement>('.panel, .side')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height < m.height / 3) continue;
    if (r.left - m.left < m.width / 3) pad.left = Math.max(pad.left, r.right - m.left + 24);
    else if (m.right - r.right < m.width / 3) pad.right = Math.max(pad.right, m.right - r.left + 24);
  }
  // Never so much that nothing is left to show.
  pad.left = Math.min(pad.left, m.width * 0.4);
  pad.right = Math.min(pad.right, m.width * 0.4);
  return pad;
}

/**
 * Calls back once the map has drawn everything: at an 'idle' after which nothing is drawn
 * for a while. (deck.gl may ask for another frame after the map's first idle, when shaders
 * it compiles in the background are ready: the first idle is not the end.)
 */
function whenSettled(map: MapLibreMap, done: (atMs: number) => void, quietMs = 600) {
  let lastRender = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onRender = () => { lastRender = performance.now(); clearTimeout(timer); };
  const onIdle = () => {
    const idleAt = performance.now();
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (lastRender > idleAt) return; // drew again: wait for the next idle
      map.off('render', onRender);
      map.off('idle', onIdle);
      done(idleAt);
    }, quietMs);
  };
  map.on('render', onRender);
  map.on('idle', onIdle);
}

/** The district's outline, or (a workspace without one) everything its grids cover. */
function districtBounds(d: District): [[number, number], [number, number]] {
  const outline = d.boundaries.filter((b) => b.properties.level === 'district');
  const areas = outline.length ? outline : d.boundaries.length ? d.boundaries : d.grids;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const see = (x: number, y: number) => { if (Number.isFinite(x) && Number.isFinite(y)) { w = Math.min(w, x); s = Math.min(s, y); e = Math.max(e, x); n = Math.max(n, y); } };
  for (const b of areas) {
    const polys = b.geometry.type === 'Polygon' ? [b.geometry.coordinates] : b.geometry.coordinates;
    for (const p of polys) for (const [x, y] of p[0]) see(x, y);
  }
  // A workspace with no outlines or grids yet: around what it has (footprints, households, cases), else China.
  if (w > e) for (const xy of [d.buildings.shapes.coords, d.households.positions, d.cases.positions]) for (let i = 0; i + 1 < xy.length; i += 2) see(xy[i], xy[i + 1]);
  if (w > e) return [[73, 18], [135, 54]];
  const pad = w === e || s === n ? 0.005 : 0;
  return [[w - pad, s - pad], [e + pad, n + pad]];
}
