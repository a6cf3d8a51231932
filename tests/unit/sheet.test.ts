// The approval sheet's pure geometry (src/domain/sheet.ts): the plan's box fitted into the map
// frame keeping its shape, the scale bar true against geodesic distances, labels that fit or
// are left out, and the tables' rows over pages with none lost or repeated.
import { describe, expect, it } from 'vitest';
import { noteTable, sheetTables, tablePages, TABLE } from '../../src/ui/sheet/sheetTables';
import type { PlanScores } from '../../src/plan/scores';
import { sheetMap } from '../../src/ui/sheet/sheetMap';
import { isSheet, sheetConfig, sheetUrl } from '../../src/ui/sheet/config';
import { packPolygons } from '../../src/checks/rings';
import type { District } from '../../src/domain/district';
import geographiclib from 'geographiclib-geodesic';
import {
  boxOf, fitLabels, fitProjection, labelSize, linesOf, mapMarks, metresPerDegree, paginate, PAPER, scaleBar, sheetLayout, textWidth, withMargin,
  type BBox, type LabelRequest, type Paper, type TableBlock,
} from '../../src/domain/sheet';

const geod = geographiclib.Geodesic.WGS84;
const EPS = 1e-6;

describe('layout', () => {
  it('puts the map, the side column, the header and the footer on the landscape page, apart', () => {
    for (const paper of ['A3', 'A4'] as Paper[]) {
      const l = sheetLayout(paper);
      expect(l.page).toEqual(PAPER[paper]);
      expect(l.page.w).toBeGreaterThan(l.page.h);
      for (const r of [l.header, l.map, l.side, l.footer, l.body]) {
        expect(r.x).toBeGreaterThanOrEqual(5);
        expect(r.y).toBeGreaterThanOrEqual(5);
        expect(r.x + r.w).toBeLessThanOrEqual(l.page.w - 5);
        expect(r.y + r.h).toBeLessThanOrEqual(l.page.h - 5);
      }
      expect(l.map.x + l.map.w).toBeLessThan(l.side.x);
      expect(l.header.y + l.header.h).toBeLessThan(l.map.y);
      expect(l.map.y + l.map.h).toBeLessThanOrEqual(l.footer.y);
    }
  });
});

describe('projection', () => {
  const boxes: BBox[] = [
    [119.08, 36.68, 119.11, 36.70], // wide, the demo's latitude
    [119.1, 36.6, 119.105, 36.7], // tall and thin
    [100.0, 60.0, 100.4, 60.1], // far north: a degree of longitude is half a degree of latitude
    [-70.0, -33.5, -69.9, -33.4], // southern hemisphere, west
  ];
  for (const paper of ['A3', 'A4'] as Paper[]) for (const box of boxes) {
    it(`fits ${box.join(',')} inside the ${paper} map frame, centred, keeping its shape`, () => {
      const frame = sheetLayout(paper).map;
      const p = fitProjection(box, frame);
      const [w, s, e, n] = box;
      const corners = [p.project(w, s), p.project(e, s), p.project(e, n), p.project(w, n)];
      for (const [x, y] of corners) {
        expect(x).toBeGreaterThanOrEqual(frame.x - EPS);
        expect(x).toBeLessThanOrEqual(frame.x + frame.w + EPS);
        expect(y).toBeGreaterThanOrEqual(frame.y - EPS);
        expect(y).toBeLessThanOrEqual(frame.y + frame.h + EPS);
      }
      const pw = corners[1][0] - corners[0][0], ph = corners[0][1] - corners[3][1];
      // one side fills the frame exactly, the other is within it; north is up, east right
      expect(Math.max(pw / frame.w, ph / frame.h)).toBeCloseTo(1, 9);
      expect(pw).toBeGreaterThan(0);
      expect(ph).toBeGreaterThan(0);
      // the shape on paper is the shape on the ground (geodesic widths and height at the middle)
      const mid = (s + n) / 2;
      const groundW = geod.Inverse(mid, w, mid, e).s12!, groundH = geod.Inverse(s, (w + e) / 2, n, (w + e) / 2).s12!;
      expect((pw / ph) / (groundW / groundH)).toBeCloseTo(1, 2);
      // centred: the box's middle at the frame's middle, and the frame's corners unproject to a box holding it
      const c = p.project((w + e) / 2, mid);
      expect(c[0]).toBeCloseTo(frame.x + frame.w / 2, 9);
      expect(c[1]).toBeCloseTo(frame.y + frame.h / 2, 9);
      expect(p.shown[0]).toBeLessThanOrEqual(w + EPS);
      expect(p.shown[1]).toBeLessThanOrEqual(s + EPS);
      expect(p.shown[2]).toBeGreaterThanOrEqual(e - EPS);
      expect(p.shown[3]).toBeGreaterThanOrEqual(n - EPS);
      const [lon, lat] = p.unproject(...p.project(w + 0.3 * (e - w), s + 0.7 * (n - s)));
      expect(lon).toBeCloseTo(w + 0.3 * (e - w), 10);
      expect(lat).toBeCloseTo(s + 0.7 * (n - s), 10);
    });
  }

  it('widens the changed grids\' box by a margin of the larger side, at least 150 m', () => {
    const box = boxOf([{ geometry: { type: 'Polygon', coordinates: [[[119.1, 36.7], [119.12, 36.7], [119.12, 36.71], [119.1, 36.7]]] } }])!;
    expect(box).toEqual([119.1, 36.7, 119.12, 36.71]);
    const k = metresPerDegree(36.705);
    const m = withMargin(box);
    expect((box[0] - m[0]) * k.lon).toBeCloseTo(0.15 * 0.02 * k.lon, 6);
    expect((m[3] - box[3]) * k.lat).toBeCloseTo(0.15 * 0.02 * k.lon, 6);
    const tiny = withMargin([119.1, 36.7, 119.1001, 36.7001]);
    expect((tiny[2] - 119.1001) * metresPerDegree(36.70005).lon).toBeCloseTo(150, 6);
    expect(boxOf([])).toBeNull();
  });
});

describe('scale bar', () => {
  it('is a round length (1, 2 or 5 × 10ⁿ), the longest that fits', () => {
    expect(scaleBar(0.1, 60)).toMatchObject({ metres: 500, value: 500, unit: 'm' }); // 600 m fit → 500
    expect(scaleBar(0.1, 50)).toMatchObject({ metres: 500 });
    expect(scaleBar(0.1, 49.9)).toMatchObject({ metres: 200 });
    expect(scaleBar(0.02, 60)).toMatchObject({ metres: 2000, value: 2, unit: 'km' });
    expect(scaleBar(0.5, 60)).toMatchObject({ metres: 100 });
    expect(scaleBar(0.001, 60)).toMatchObject({ metres: 50_000, value: 50, unit: 'km' });
    for (const s of [0.0013, 0.017, 0.09, 0.33, 2.1]) {
      const b = scaleBar(s, 70);
      expect(b.mm).toBeLessThanOrEqual(70 + EPS);
      expect(b.mm).toBeGreaterThan(70 / 2.5 - EPS); // the next round length would not fit
      expect(b.mm).toBeCloseTo(b.metres * s, 9);
      expect(String(b.metres / 10 ** Math.floor(Math.log10(b.metres)))).toMatch(/^[125]$/);
    }
  });

  it('says on paper the length it measures on the ground, within 1 % of the geodesic distance, east and north', () => {
    for (const box of [[119.08, 36.68, 119.11, 36.70], [100.0, 60.0, 100.4, 60.1], [18.0, 0.0, 18.2, 0.1], [-70.0, -33.5, -69.9, -33.4]] as BBox[]) {
      for (const paper of ['A3', 'A4'] as Paper[]) {
        const p = fitProjection(box, sheetLayout(paper).map);
        const bar = scaleBar(p.scale, 60);
        const lat = (box[1] + box[3]) / 2, lon = (box[0] + box[2]) / 2;
        for (const azimuth of [90, 0, 45]) {
          const to = geod.Direct(lat, lon, azimuth, bar.metres);
          const a = p.project(lon, lat), b = p.project(to.lon2!, to.lat2!);
          const onPaper = Math.hypot(b[0] - a[0], b[1] - a[1]);
          expect(Math.abs(onPaper / bar.mm - 1), `${box} ${paper} ${azimuth}°`).toBeLessThan(0.01);
        }
      }
    }
  });
});

describe('labels', () => {
  const rect = (x: number, y: number, w: number, h: number): [number, number][][] => [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]];
  const square = (x: number, y: number, s: number) => rect(x, y, s, s);
  const frame = { x: 0, y: 0, w: 200, h: 100 };
  const lines = (name: string) => [[{ text: name, size: 2.6 }, { text: '370705001001001', size: 2.2 }], [{ text: '370705001001001', size: 2.2 }]];

  it('measures CJK at one em and the rest narrower', () => {
    expect(textWidth('网格', 3)).toBeCloseTo(6, 9);
    expect(textWidth('370705', 2)).toBeGreaterThan(6 * 2 * 0.55);
    expect(textWidth('370705', 2)).toBeLessThan(6 * 2 * 0.7);
  });

  it('places a label inside its area, clear of its outline, and leaves out what has no room rather than overlap', () => {
    const reqs: LabelRequest[] = [
      { id: 'big', variants: lines('新华社区第1网格'), rings: square(10, 10, 60) },
      { id: 'narrow', variants: lines('新华社区第2网格'), rings: rect(75, 10, 24, 5) }, // room for the code only
      { id: 'tiny', variants: lines('新华社区第3网格'), rings: square(100, 10, 3) }, // room for nothing
      { id: 'under', variants: lines('新华社区第4网格'), rings: square(20, 20, 40) }, // under "big": room, but taken
      { id: 'cut', variants: lines('新华社区第5网格'), rings: square(195, 50, 40) }, // mostly outside the frame
    ];
    const placed = fitLabels(reqs, frame);
    const by = new Map(placed.map((l) => [l.id, l]));
    expect(by.get('big')!.lines).toHaveLength(2);
    expect(by.get('narrow')!.lines.map((l) => l.text)).toEqual(['370705001001001']);
    expect(by.has('tiny')).toBe(false);
    expect(by.has('cut')).toBe(false);
    for (const l of placed) {
      const r = reqs.find((q) => q.id === l.id)!.rings[0];
      const xs = r.map((p) => p[0]), ys = r.map((p) => p[1]);
      expect(l.x - l.w / 2).toBeGreaterThanOrEqual(Math.min(...xs));
      expect(l.x + l.w / 2).toBeLessThanOrEqual(Math.max(...xs));
      expect(l.y - l.h / 2).toBeGreaterThanOrEqual(Math.min(...ys));
      expect(l.y + l.h / 2).toBeLessThanOrEqual(Math.max(...ys));
      expect(l).toMatchObject(labelSize(l.lines));
    }
    for (const a of placed) for (const b of placed) {
      if (a === b) continue;
      const apart = Math.abs(a.x - b.x) * 2 >= a.w + b.w || Math.abs(a.y - b.y) * 2 >= a.h + b.h;
      expect(apart, `${a.id} / ${b.id}`).toBe(true);
    }
  });

  it('keeps labels off the north arrow and the scale bar, inside the frame', () => {
    const f = sheetLayout('A3').map;
    const marks = mapMarks(f);
    for (const r of [marks.north, marks.scale]) {
      expect(r.x).toBeGreaterThanOrEqual(f.x);
      expect(r.y).toBeGreaterThanOrEqual(f.y);
      expect(r.x + r.w).toBeLessThanOrEqual(f.x + f.w);
      expect(r.y + r.h).toBeLessThanOrEqual(f.y + f.h);
    }
    // one small area right under the north arrow: without the arrow its label goes there, with it not at all
    const under = { id: 'n', variants: [[{ text: '370705001001001', size: 2.2 }]], rings: rect(marks.north.x - 8, marks.north.y, 24, 8) };
    expect(fitLabels([under], f)).toHaveLength(1);
    expect(fitLabels([under], f, [marks.north, marks.scale])).toEqual([]);
    expect(scaleBar(0.2, marks.bar).mm + 16).toBeLessThanOrEqual(marks.scale.w);
  });

  it('puts a changed area\'s label beside it, with a leader, when there is no room inside, and before the others', () => {
    const small = { id: 'small', leader: true, variants: lines('新华社区第6网格'), rings: square(100, 50, 8) };
    const neighbour = { id: 'next', variants: lines('新华社区第7网格'), rings: rect(109, 40, 60, 30) };
    // the neighbour comes first in the list, yet the changed grid's label is placed first (on the neighbour's land)
    const placed = fitLabels([neighbour, small], frame);
    const s = placed.find((l) => l.id === 'small')!;
    expect(s.anchor).toBeDefined();
    const [ax, ay] = s.anchor!;
    expect(ax).toBeGreaterThan(100);
    expect(ax).toBeLessThan(108);
    expect(ay).toBeGreaterThan(50);
    expect(ay).toBeLessThan(58);
    // beside the area, not on it
    expect(s.x - s.w / 2 >= 108 || s.x + s.w / 2 <= 100 || s.y - s.h / 2 >= 58 || s.y + s.h / 2 <= 50).toBe(true);
    const n = placed.find((l) => l.id === 'next');
    if (n) expect(Math.abs(n.x - s.x) * 2 >= n.w + s.w || Math.abs(n.y - s.y) * 2 >= n.h + s.h).toBe(true);
    // an unchanged area gets no leader: no room, no label
    expect(fitLabels([{ ...small, leader: false }], frame)).toEqual([]);
  });

  it('keeps a label out of a hole and off an L-shaped area\'s missing corner', () => {
    const ring: [number, number][] = [[0, 0], [60, 0], [60, 10], [10, 10], [10, 60], [0, 60], [0, 0]];
    const [l] = fitLabels([{ id: 'L', variants: [[{ text: '370705001001001', size: 2.2 }]], rings: [ring] }], frame);
    // the only room is the 10 mm high arm along the top
    expect(l.y).toBeLessThan(10);
    const holed = [...square(0, 0, 50), ...square(3, 3, 44)]; // a band 3 mm wide: less than the label is high
    expect(fitLabels([{ id: 'ring', variants: [[{ text: '网格网格网格网格', size: 2.6 }]], rings: holed }], frame)).toEqual([]);
  });
});

describe('tables over pages', () => {
  const rows = (n: number, h = 6) => Array.from({ length: n }, () => h);
  const check = (blocks: TableBlock[], pageMm: number, gap = 6) => {
    const pages = paginate(blocks, pageMm, gap);
    // every row of every block on exactly one page, in order
    for (const b of blocks) {
      const parts = pages.flat().filter((p) => p.block === b.id);
      const seen = parts.flatMap((p) => Array.from({ length: p.to - p.from }, (_, k) => p.from + k));
      expect(seen).toEqual(b.rows.map((_, i) => i));
      expect(parts[0].continued).toBe(false);
      parts.slice(1).forEach((p) => expect(p.continued).toBe(true));
    }
    // each page within its height, heading and header counted for every part on it
    for (const page of pages) {
      let h = 0;
      page.forEach((p, k) => {
        const b = blocks.find((x) => x.id === p.block)!;
        h += (k ? gap : 0) + b.head + b.rows.slice(p.from, p.to).reduce((s, r) => s + r, 0);
      });
      const alone = page.length === 1 && page[0].to - page[0].from === 1;
      if (!alone) expect(h).toBeLessThanOrEqual(pageMm + EPS);
      expect(page.length).toBeGreaterThan(0);
    }
    return pages;
  };

  it('splits a long table over pages, whole rows only, with its header on each', () => {
    const pages = check([{ id: 'grids', head: 14, rows: rows(100) }], 200);
    // (200 − 14) / 6 = 31 rows a page
    expect(pages.map((p) => p[0].to - p[0].from)).toEqual([31, 31, 31, 7]);
  });

  it('puts the next table under the last on a page when it fits, and the scores whole', () => {
    const pages = check([
      { id: 'grids', head: 14, rows: rows(20) },
      { id: 'moves', head: 14, rows: rows(40, 7.5) },
      { id: 'scores', head: 12, rows: rows(11), whole: true },
    ], 240);
    expect(pages[0].map((p) => p.block)).toEqual(['grids', 'moves']);
    const scores = pages.flat().filter((p) => p.block === 'scores');
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({ from: 0, to: 11 });
  });

  it('keeps rows of mixed heights, an empty table, a row taller than a page, without loss or repeat', () => {
    const mixed = Array.from({ length: 57 }, (_, i) => 5 + ((i * 7) % 11));
    check([
      { id: 'a', head: 10, rows: mixed },
      { id: 'empty', head: 10, rows: [] },
      { id: 'tall', head: 10, rows: [4, 500, 4] },
      { id: 'b', head: 10, rows: rows(3) },
    ], 120);
    expect(paginate([], 100)).toEqual([]);
  });

  it('counts a long name as the lines it wraps to', () => {
    expect(linesOf('新华社区第1网格', 40, 3)).toBe(1);
    expect(linesOf('新华社区第1网格新华社区第1网格', 20, 3)).toBe(3);
  });
});

describe('the sheet\'s tables', () => {
  const scores: PlanScores = { grids: 10, households: 2000, ideal: 200, largestDeviation: 0.5, inBand: 8, meanPolsbyPopper: 0.6, worstPolsbyPopper: 0.3, meanReock: 0.45, movedHouseholds: 120, movedBuildings: 7 };
  const t = (k: string) => k;
  const grids = Array.from({ length: 300 }, (_, i) => ({ code: `370705001001${String(i).padStart(3, '0')}`, name: `第${i}网格`, change: 'reshaped' as const, households_before: i, households_after: i + 1 }));
  const moves = Array.from({ length: 80 }, (_, i) => ({ from: grids[i].code, to: i % 5 === 4 ? '' : grids[i + 1].code, households: i, buildings: 1 }));

  it('puts every grid and move of a large plan on exactly one page, the scores whole, on A3 and A4', () => {
    const tables = sheetTables({ grids, moves, features: [], scores: { before: scores, after: scores } }, new Map(), t);
    expect(tables.map((x) => x.id)).toEqual(['changes', 'moves', 'scores']);
    expect(tables[1].rows[0][1]).toBe('370705001001001');
    expect(tables[1].rows[0][0]).toBe('370705001001000');
    expect(tables[1].rows[0][1]).not.toBe('edit.noGrid');
    expect(tables[1].rows[4][1]).toBe('edit.noGrid');
    for (const paper of ['A3', 'A4'] as Paper[]) {
      const body = sheetLayout(paper).body;
      const pages = tablePages(tables, body.w, body.h);
      for (const x of tables) {
        const rows = pages.flat().filter((p) => p.block === x.id).flatMap((p) => Array.from({ length: p.to - p.from }, (_, k) => p.from + k));
        expect(rows, `${paper} ${x.id}`).toEqual(x.rows.map((_, i) => i));
      }
      expect(pages.flat().filter((p) => p.block === 'scores')).toHaveLength(1);
      expect(pages.length).toBeGreaterThan(paper === 'A3' ? 8 : 12);
    }
  });

  it('cuts a long note into paragraphs no taller than 8 lines, keeping every character', () => {
    const note = `${'本方案将东风社区第3网格拆分为五个网格，使每格户数落在区间内。'.repeat(30)}\n\nSecond paragraph. ${'Short sentence here. '.repeat(40)}`;
    const width = sheetLayout('A4').body.w;
    const nt = noteTable(note, width);
    expect(nt.rows.map((r) => r[0]).join('').replace(/\s+/g, '')).toBe(note.replace(/\s+/g, ''));
    for (const [r] of nt.rows) expect(linesOf(r, width, TABLE.font)).toBeLessThanOrEqual(8);
    expect(nt.rows.length).toBeGreaterThan(2);
    // sentences keep the space between them
    expect(nt.rows.some(([r]) => r.includes('here. Short sentence here. Short'))).toBe(true);
    expect(nt.rows.some(([r]) => r.startsWith('Second paragraph. Short sentence'))).toBe(true);
    // one sentence of 3,000 characters is cut too
    const long = noteTable('字'.repeat(3000), width);
    expect(long.rows.map((r) => r[0]).join('')).toBe('字'.repeat(3000));
    for (const [r] of long.rows) expect(linesOf(r, width, TABLE.font)).toBeLessThanOrEqual(8);
    expect(noteTable('', width).rows).toEqual([]);
  });
});

describe('the sheet\'s map', () => {
  // grids 0.01° (≈ 900 m) wide along a parallel at the demo's latitude; one removed, one added
  const sq = (x: number, y: number, s = 0.01) => ({ type: 'Polygon' as const, coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]] });
  const grid = (code: string, x: number) => ({ type: 'Feature' as const, geometry: sq(x, 36.7), properties: { code, name: `网格${code.slice(-3)}`, kind: 'base' as const, community_code: code.slice(0, 12), dedicated_type: '' as const, band_min: null, band_max: null } });
  const after = [grid('370705001001001', 119.0), grid('370705001001003', 119.01), grid('370705001001009', 119.5)];
  const removed = grid('370705001001002', 119.02);
  const comparison = {
    grids: [
      { code: '370705001001002', name: removed.properties.name, change: 'removed' as const, households_before: 100, households_after: 0 },
      { code: '370705001001003', name: '网格003', change: 'added' as const, households_before: 0, households_after: 90 },
    ],
    moves: [],
    features: [
      { type: 'Feature' as const, geometry: removed.geometry, properties: { code: removed.properties.code, name: removed.properties.name, change: 'removed', version: 'before' } },
      { type: 'Feature' as const, geometry: after[1].geometry, properties: { code: after[1].properties.code, name: '网格003', change: 'added', version: 'after' } },
    ],
  };
  const buildings = packPolygons([sq(119.012, 36.702, 0.0005), sq(119.9, 36.9, 0.0005)]);
  const district = {
    grids: after, boundaries: [], water: [], roads: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[119.8, 36.9], [119.9, 36.9]] }, properties: { name: '', class: 'arterial' } }],
    buildings: { count: 2, shapes: buildings },
  } as unknown as District;

  it('shows the changed grids\' box with their neighbours, the removed grid dashed, only the data inside', () => {
    const frame = sheetLayout('A3').map;
    const m = sheetMap(district, comparison, frame);
    expect(m.changedBox).toEqual([119.01, 36.7, 119.03, 36.71]);
    // the box is inside the frame's ground; the far grid, building and road are not drawn
    expect(m.grids.map((g) => [g.code, g.change])).toEqual([['370705001001001', null], ['370705001001003', 'added'], ['370705001001002', 'removed']]);
    expect(m.roads.arterial).toBe('');
    expect(m.buildings.match(/M/g)).toHaveLength(1);
    // every path coordinate inside the frame (the box plus its margin fits it)
    for (const g of m.grids.filter((x) => x.change)) {
      const xy = g.d.match(/-?[\d.]+/g)!.map(Number);
      for (let i = 0; i < xy.length; i += 2) {
        expect(xy[i]).toBeGreaterThanOrEqual(frame.x);
        expect(xy[i]).toBeLessThanOrEqual(frame.x + frame.w);
        expect(xy[i + 1]).toBeGreaterThanOrEqual(frame.y);
        expect(xy[i + 1]).toBeLessThanOrEqual(frame.y + frame.h);
      }
    }
    // the changed grids labelled first, with name and code; labels apart
    const labels = new Map(m.labels.map((l) => [l.id, l]));
    expect(labels.get('370705001001003')!.lines.map((l) => l.text)).toEqual(['网格003', '370705001001003']);
    expect(labels.get('370705001001002')!.change).toBe('removed');
    expect(m.districtShown).toBe(false);
  });
});

describe('the sheet\'s address', () => {
  it('reads version, paper and language, with the imported grids, A3 and the console\'s language by default', () => {
    expect(sheetConfig('')).toEqual({ version: 'imported', paper: 'A3', lang: null });
    expect(sheetConfig('?version=v1&paper=a4&lang=en')).toEqual({ version: 'v1', paper: 'A4', lang: 'en' });
    expect(sheetConfig('?paper=A5&lang=fr')).toEqual({ version: 'imported', paper: 'A3', lang: null });
    expect(sheetConfig(`?${sheetUrl('v 2&x', 'A4', 'zh-CN').split('?')[1]}`)).toEqual({ version: 'v 2&x', paper: 'A4', lang: 'zh-CN' });
    expect(isSheet({ pathname: '/sheet' })).toBe(true);
    expect(isSheet({ pathname: '/app/sheet/' })).toBe(true);
    expect(isSheet({ pathname: '/' })).toBe(false);
    expect(isSheet({ pathname: '/sheets' })).toBe(false);
  });
});
