// The approval sheet's geometry, pure (no DOM): the page layout in millimetres for A3 / A4
// landscape, lon/lat projected onto the map frame, the scale bar's round length, which grid
// labels fit, and which table rows go on which page.
import type { Feature, Position } from 'geojson';

export type Paper = 'A3' | 'A4';

/** Landscape paper, millimetres. */
export const PAPER: Record<Paper, { w: number; h: number }> = { A3: { w: 420, h: 297 }, A4: { w: 297, h: 210 } };

export interface Rect { x: number; y: number; w: number; h: number }
/** west, south, east, north (degrees) */
export type BBox = [number, number, number, number];

export interface SheetLayout {
  page: { w: number; h: number };
  /** the title across the top */
  header: Rect;
  /** the map's frame, left */
  map: Rect;
  /** legend and title block, right of the map */
  side: Rect;
  /** the page line at the foot ("page n of N") */
  footer: Rect;
  /** pages 2 on: the room for tables between header and footer */
  body: Rect;
}

/** Where everything goes on the page; sizes in millimetres (type stays the same size on A4, so it holds less). */
export function sheetLayout(paper: Paper): SheetLayout {
  const page = PAPER[paper];
  const m = paper === 'A3' ? 12 : 9;
  const headerH = paper === 'A3' ? 16 : 12;
  const footerH = 6;
  const sideW = paper === 'A3' ? 104 : 82;
  const gap = paper === 'A3' ? 6 : 4;
  const top = m + headerH + gap / 2;
  const bottom = page.h - m - footerH;
  return {
    page,
    header: { x: m, y: m, w: page.w - 2 * m, h: headerH },
    map: { x: m, y: top, w: page.w - 2 * m - sideW - gap, h: bottom - top },
    side: { x: page.w - m - sideW, y: top, w: sideW, h: bottom - top },
    footer: { x: m, y: bottom, w: page.w - 2 * m, h: footerH },
    body: { x: m, y: top, w: page.w - 2 * m, h: bottom - top - 2 },
  };
}

// WGS84: metres per degree along the meridian and along the parallel at a latitude.
const A = 6_378_137;
const E2 = 0.00669437999014;
export function metresPerDegree(lat: number): { lon: number; lat: number } {
  const f = (lat * Math.PI) / 180;
  const w = 1 - E2 * Math.sin(f) ** 2;
  const meridian = (A * (1 - E2)) / w ** 1.5;
  const normal = A / Math.sqrt(w);
  return { lat: (meridian * Math.PI) / 180, lon: (normal * Math.cos(f) * Math.PI) / 180 };
}

export interface Projection {
  /** millimetres on paper per metre on the ground */
  scale: number;
  project(lon: number, lat: number): [number, number];
  unproject(x: number, y: number): [number, number];
  /** the ground the whole frame shows (the box, widened to the frame's shape) */
  shown: BBox;
}

/**
 * The box fitted into the frame, centred, keeping its shape: a local projection true to scale
 * at the box's middle latitude (the ellipsoid's radii there; a district is a few km across).
 */
export function fitProjection(box: BBox, frame: Rect): Projection {
  const [w, s, e, n] = box;
  const lon0 = (w + e) / 2, lat0 = (s + n) / 2;
  const k = metresPerDegree(lat0);
  const widthM = Math.max((e - w) * k.lon, 1), heightM = Math.max((n - s) * k.lat, 1);
  const scale = Math.min(frame.w / widthM, frame.h / heightM);
  const cx = frame.x + frame.w / 2, cy = frame.y + frame.h / 2;
  const project = (lon: number, lat: number): [number, number] => [cx + (lon - lon0) * k.lon * scale, cy - (lat - lat0) * k.lat * scale];
  const unproject = (x: number, y: number): [number, number] => [lon0 + (x - cx) / (k.lon * scale), lat0 - (y - cy) / (k.lat * scale)];
  const [sw, ss] = unproject(frame.x, frame.y + frame.h), [se, sn] = unproject(frame.x + frame.w, frame.y);
  return { scale, project, unproject, shown: [sw, ss, se, sn] };
}

/** The box of the features' coordinates, or null when there are none. */
export function boxOf(features: Pick<Feature, 'geometry'>[]): BBox | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (c: unknown) => {
    if (typeof (c as Position)[0] === 'number') {
      const [x, y] = c as Position;
      if (x < w) w = x; if (x > e) e = x; if (y < s) s = y; if (y > n) n = y;
    } else for (const x of c as unknown[]) visit(x);
  };
  for (const f of features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return w <= e ? [w, s, e, n] : null;
}

/** A box widened on every side by a share of its larger side, at least `minM` metres (the changed grids' surroundings). */
export function withMargin(box: BBox, share = 0.15, minM = 150): BBox {
  const [w, s, e, n] = box;
  const k = metresPerDegree((s + n) / 2);
  const m = Math.max(share * Math.max((e - w) * k.lon, (n - s) * k.lat), minM);
  return [w - m / k.lon, s - m / k.lat, e + m / k.lon, n + m / k.lat];
}

export interface ScaleBar {
  metres: number;
  mm: number;
  /** the length as the bar says it */
  value: number;
  unit: 'm' | 'km';
}

/** The longest round length (1, 2 or 5 × 10ⁿ metres) whose bar is no longer than maxMm at this scale. */
export function scaleBar(scale: number, maxMm: number): ScaleBar {
  const most = maxMm / scale;
  let metres = 10 ** Math.floor(Math.log10(most));
  for (const f of [5, 2]) if (metres * f <= most * (1 + 1e-9)) { metres *= f; break; }
  return { metres, mm: metres * scale, value: metres >= 1000 ? metres / 1000 : metres, unit: metres >= 1000 ? 'km' : 'm' };
}

/** The map's own marks, inside its frame: the north arrow top right, the scale bar's card bottom left (its bar at most `bar` mm). */
export function mapMarks(frame: Rect): { north: Rect; scale: Rect; bar: number } {
  const bar = Math.min(60, frame.w / 4);
  return {
    north: { x: frame.x + frame.w - 17, y: frame.y + 2, w: 15, h: 16 },
    scale: { x: frame.x + 2, y: frame.y + frame.h - 13.5, w: bar + 16, h: 11.5 },
    bar,
  };
}

// ---- labels -------------------------------------------------------------------------------

/**
 * Width of a line of text in millimetres at a font size (mm), a little over what Noto Sans CJK
 * draws: CJK and full-width characters one em, the rest about six tenths.
 */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) em += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/.test(ch) ? 1 : ch === ' ' ? 0.3 : 0.62;
  return em * size;
}

export interface LabelLine { text: string; size: number }
export interface LabelRequest {
  id: string;
  /** what to write, tried in order (all lines, then fewer): the first that fits is placed */
  variants: LabelLine[][];
  /** the area's rings on paper (mm): outer rings and holes alike (even-odd) */
  rings: [number, number][][];
  /** with no room inside, put beside the area with a leader line to it (the changed grids); these go first */
  leader?: boolean;
}
export interface PlacedLabel {
  id: string;
  /** the label's centre and size (mm) */
  x: number;
  y: number;
  w: number;
  h: number;
  lines: LabelLine[];
  /** a label beside its area: the point inside the area its leader line goes to */
  anchor?: [number, number];
}

export const LINE_HEIGHT = 1.2;
const PAD = 0.6;

function inside(rings: [number, number][][], x: number, y: number): boolean {
  let c = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
  }
  return c;
}

function distToSegment(px: number, py: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const dx = bx - ax, dy = by - ay;
  const l = dx * dx + dy * dy;
  const t = l > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l)) : 0;
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Whether segment a–b meets the open rectangle (Liang–Barsky clipping). */
function segmentMeetsBox(a: [number, number], b: [number, number], x0: number, y0: number, x1: number, y1: number): boolean {
  let t0 = 0, t1 = 1;
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const clip = (p: number, q: number) => {
    if (p === 0) return q > 0;
    const r = q / p;
    if (p < 0) { if (r > t1) return false; if (r > t0) t0 = r; } else { if (r < t0) return false; if (r < t1) t1 = r; }
    return true;
  };
  return clip(-dx, a[0] - x0) && clip(dx, x1 - a[0]) && clip(-dy, a[1] - y0) && clip(dy, y1 - a[1]) && t0 < t1;
}

const overlaps = (a: PlacedLabel, b: PlacedLabel) =>
  Math.abs(a.x - b.x) * 2 < a.w + b.w && Math.abs(a.y - b.y) * 2 < a.h + b.h;

/** Width and height of a label of these lines (mm), its padding included. */
export function labelSize(lines: LabelLine[]): { w: number; h: number } {
  return { w: Math.max(...lines.map((l) => textWidth(l.text, l.size))) + PAD, h: lines.reduce((s, l) => s + l.size * LINE_HEIGHT, 0) + PAD / 2 };
}

/**
 * Places labels, in the order given (the most important first): each inside its own area,
 * clear of its outline, inside the frame and clear of every label placed before; a label with
 * no room in any of its variants is left out (never drawn over another), and none goes on the
 * rectangles to `avoid` (the north arrow, the scale bar). Areas asking for a `leader` (the
 * changed grids) are placed first, and one with no room inside gets its label beside it, with
 * the point its leader line goes to, where that is free.
 */
export function fitLabels(requests: LabelRequest[], frame: Rect, avoid: Rect[] = []): PlacedLabel[] {
  const placed: PlacedLabel[] = avoid.map((r) => ({ id: '', x: r.x + r.w / 2, y: r.y + r.h / 2, w: r.w, h: r.h, lines: [] }));
  const inFrame = (l: PlacedLabel) => l.x - l.w / 2 >= frame.x && l.x + l.w / 2 <= frame.x + frame.w && l.y - l.h / 2 >= frame.y && l.y + l.h / 2 <= frame.y + frame.h;
  const free = (l: PlacedLabel) => inFrame(l) && !placed.some((p) => overlaps(p, l));
  const first = requests.filter((r) => r.leader), rest = requests.filter((r) => !r.leader);
  const besides: { req: LabelRequest; box: [number, number, number, number]; anchor: [number, number] }[] = [];
  for (const req of [...first, ...rest]) {
    const pts = req.rings.flat();
    if (pts.length < 3) continue;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [x, y] of pts) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    if (x1 < frame.x || x0 > frame.x + frame.w || y1 < frame.y || y0 > frame.y + frame.h) continue;
    // candidate centres: a lattice over the area, the ones farthest from its outline first
    const n = 11;
    const cands: { x: number; y: number; d: number }[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const x = x0 + ((i + 0.5) / n) * (x1 - x0), y = y0 + ((j + 0.5) / n) * (y1 - y0);
      if (!inside(req.rings, x, y)) continue;
      let d = Infinity;
      for (const r of req.rings) for (let k = 0; k + 1 < r.length; k++) d = Math.min(d, distToSegment(x, y, r[k], r[k + 1]));
      cands.push({ x, y, d });
    }
    cands.sort((a, b) => b.d - a.d);
    const fits = (l: PlacedLabel) => {
      const bx0 = l.x - l.w / 2, bx1 = l.x + l.w / 2, by0 = l.y - l.h / 2, by1 = l.y + l.h / 2;
      if (!inside(req.rings, l.x, l.y)) return false;
      for (const r of req.rings) for (let k = 0; k + 1 < r.length; k++) if (segmentMeetsBox(r[k], r[k + 1], bx0, by0, bx1, by1)) return false;
      return free(l);
    };
    let done = false;
    found: for (const lines of req.variants) {
      const { w, h } = labelSize(lines);
      for (const c of cands.slice(0, 24)) {
        if (c.d * 2 < Math.min(w, h)) break; // the rest are nearer the outline still
        const l = { id: req.id, x: c.x, y: c.y, w, h, lines };
        if (fits(l)) { placed.push(l); done = true; break found; }
      }
    }
    const anchor = cands[0] ? [cands[0].x, cands[0].y] as [number, number] : null;
    if (!done && req.leader && anchor && inFrame({ id: '', x: anchor[0], y: anchor[1], w: 0, h: 0, lines: [] })) besides.push({ req, box: [x0, y0, x1, y1], anchor });
    // the changed grids that found no room inside go beside them before any other grid is labelled
    if (req === first[first.length - 1]) placeBesides();
  }
  function placeBesides() {
    for (const { req, box: [x0, y0, x1, y1], anchor } of besides) {
      const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, gap = 2;
      found: for (const lines of req.variants) {
        const { w, h } = labelSize(lines);
        const spots: [number, number][] = [
          [x1 + gap + w / 2, cy], [x0 - gap - w / 2, cy], [cx, y0 - gap - h / 2], [cx, y1 + gap + h / 2],
          [x1 + gap + w / 2, y0 - gap - h / 2], [x0 - gap - w / 2, y0 - gap - h / 2], [x1 + gap + w / 2, y1 + gap + h / 2], [x0 - gap - w / 2, y1 + gap + h / 2],
        ];
        for (const [x, y] of spots) {
          const l = { id: req.id, x, y, w, h, lines, anchor };
          if (free(l)) { placed.push(l); break found; }
        }
      }
    }
    besides.length = 0;
  }
  return placed.slice(avoid.length);
}

// ---- tables over pages ----------------------------------------------------------------------

/** Lines a cell's text takes in a column of this width (mm) at this font size (mm): a little over, never under. */
export function linesOf(text: string, widthMm: number, size: number): number {
  return Math.max(1, Math.ceil(textWidth(text, size) / Math.max(widthMm, size)));
}

export interface TableBlock {
  id: string;
  /** the height (mm) of each row */
  rows: number[];
  /** its heading and header row (mm), repeated on each page it goes on */
  head: number;
  /** a small table (the scores) goes on one page, whole */
  whole?: boolean;
}

export interface PagePart {
  block: string;
  /** rows [from, to) of the block */
  from: number;
  to: number;
  /** the block began on an earlier page */
  continued: boolean;
}

/**
 * The tables' rows laid out page after page, in order: a page holds the heading and header of
 * each table part on it and whole rows only, up to `pageMm`; `gapMm` between tables. Every row
 * is on exactly one page. A row taller than a page still gets a page of its own.
 */
export function paginate(blocks: TableBlock[], pageMm: number, gapMm = 6): PagePart[][] {
  const pages: PagePart[][] = [];
  let page: PagePart[] = [];
  let used = 0;
  const newPage = () => { if (page.length) pages.push(page); page = []; used = 0; };
  for (const b of blocks) {
    const total = b.rows.reduce((s, r) => s + r, 0);
    if (b.whole && used > 0 && used + gapMm + b.head + total > pageMm) newPage();
    let i = 0;
    for (;;) {
      const start = used > 0 ? used + gapMm : 0;
      let h = start + b.head;
      let j = i;
      while (j < b.rows.length && h + b.rows[j] <= pageMm) h += b.rows[j++];
      // not one row (or not the heading) fits here: a new page, or on an empty one the row alone
      if (j === i && (b.rows.length > 0 || h > pageMm)) {
        if (used > 0) { newPage(); continue; }
        if (j < b.rows.length) h += b.rows[j++];
      }
      page.push({ block: b.id, from: i, to: j, continued: i > 0 });
      used = h;
      i = j;
      if (i >= b.rows.length) break;
      newPage();
    }
  }
  newPage();
  return pages;
}
