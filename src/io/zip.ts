// Zips in (zipped Shapefiles, workspace files), refused before they are inflated when they
// say they would be too big or are shaped like a zip bomb. The whole central directory is
// read first (its declared sizes, summed over the entries): nothing is inflated when the sum
// is too big. fflate then inflates each entry into a buffer of the size the archive declares,
// so a size that lies cannot take more memory than was declared and checked; the same checks
// run again entry by entry while it inflates.
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { PartError } from './fileError';

export const ZIP_LIMITS = {
  /** all entries together, inflated */
  totalBytes: 768 * 2 ** 20,
  /** inflated ÷ compressed above this, for an entry over `bombMinBytes`, is a bomb, not data */
  maxRatio: 200,
  bombMinBytes: 32 * 2 ** 20,
  entries: 2000,
};

/** A running check of the entries' declared sizes: the refusal once they go past a limit. */
function limiter(limits: typeof ZIP_LIMITS) {
  let total = 0;
  let count = 0;
  return (f: UnzipFileInfo): PartError | null => {
    count++;
    total += f.originalSize;
    if (count > limits.entries) return new PartError('zip_too_many', { n: limits.entries });
    if (total > limits.totalBytes) return new PartError('zip_too_large', { mb: Math.round(limits.totalBytes / 2 ** 20) });
    if (f.originalSize > limits.bombMinBytes && f.originalSize > limits.maxRatio * Math.max(1, f.size)) return new PartError('zip_bomb', { entry: f.name, ratio: Math.round(f.originalSize / Math.max(1, f.size)) });
    return null;
  };
}

/** Inflates with `filter` deciding per entry; a damaged archive is not_zip. */
function unzip(bytes: Uint8Array, filter: (f: UnzipFileInfo) => boolean) {
  try { return unzipSync(bytes, { filter }); } catch { throw new PartError('not_zip'); }
}

export function safeUnzip(bytes: Uint8Array, limits = ZIP_LIMITS): Record<string, Uint8Array> {
  let refused: PartError | null = null;
  // First pass: the central directory only (every entry declined, none inflated).
  const declared = limiter(limits);
  unzip(bytes, (f) => { refused ??= declared(f); return false; });
  if (refused) throw refused;
  const streaming = limiter(limits);
  const files = unzip(bytes, (f) => { refused ??= streaming(f); return !refused; });
  if (refused) throw refused;
  return files;
}
