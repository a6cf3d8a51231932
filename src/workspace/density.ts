// Where a layer too big to draw one by one is drawn as a density: points counted into a raster
// over the district (about 15 m cells, at most 1,024 a side), coloured by a log scale of the
// count. Made once in the worker (a million households take ~20 ms); the map colours it and
// draws it as one image: the cost of a frame no longer grows with the table (software WebGL draws a million
// points in seconds).

export interface DensityGrid {
  /** west, south, east, north of the raster (degrees) */
  bounds: [number, number, number, number];
  width: number;
  height: number;
  /** per cell, row 0 at the north: 0 where nothing lies, else 1..255 by a log scale of the count */
  level: Uint8Array;
}

const M_PER_DEG = 111_320;
const CELL_M = 15;
const MAX_CELLS = 1024;

/** The cells' box around the points of `xy` (x, y pairs; NaN = none), or null when there are none. */
export function densityBounds(xy: Float64Array): [number, number, number, number] | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (!(x === x && y === y)) continue;
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return w <= e ? [w, s, e, n] : null;
}

/**
 * The points counted per cell, levelled on a log scale up to the 99th percentile of the cells
 * that have any (so one dense block does not pale the rest); a cell with one point is 77.
 */
export function densityGrid(xy: Float64Array): DensityGrid {
  const box = densityBounds(xy) ?? [0, 0, 0, 0];
  const midLat = ((box[1] + box[3]) / 2) * (Math.PI / 180);
  const wideM = Math.max(1, (box[2] - box[0]) * M_PER_DEG * Math.cos(midLat));
  const highM = Math.max(1, (box[3] - box[1]) * M_PER_DEG);
  const cellM = Math.max(CELL_M, Math.max(wideM, highM) / MAX_CELLS);
  const width = Math.max(1, Math.ceil(wideM / cellM) + 1), height = Math.max(1, Math.ceil(highM / cellM) + 1);
  // One cell of room on the far sides: the last points fall inside.
  const dx = (box[2] - box[0]) / Math.max(1, width - 1) || 1e-4, dy = (box[3] - box[1]) / Math.max(1, height - 1) || 1e-4;
  const bounds: [number, number, number, number] = [box[0], box[1], box[0] + width * dx, box[1] + height * dy];
  const counts = new Uint32Array(width * height);
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (!(x === x && y === y)) continue;
    const cx = Math.min(width - 1, Math.floor((x - bounds[0]) / dx));
    const cy = Math.min(height - 1, Math.floor((bounds[3] - y) / dy));
    counts[cy * width + cx]++;
  }
  // the 99th percentile of the filled cells' counts, from a histogram of them (no sort)
  let max = 0, filled = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k] > 0) { filled++; if (counts[k] > max) max = counts[k]; }
  const hist = new Uint32Array(max + 1);
  for (let k = 0; k < counts.length; k++) if (counts[k] > 0) hist[counts[k]]++;
  const rank = Math.ceil(0.99 * (filled - 1));
  let top = 1;
  for (let c = 1, seen = 0; c <= max; c++) { seen += hist[c]; if (seen > rank) { top = c; break; } }
  const scale = Math.log1p(Math.max(1, top));
  const level = new Uint8Array(width * height);
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    if (c > 0) level[k] = Math.round(255 * (0.3 + 0.7 * Math.min(1, Math.log1p(c) / scale)));
  }
  return { bounds, width, height, level };
}
