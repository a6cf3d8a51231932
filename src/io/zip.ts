// Zips in (zipped Shapefiles, workspace files), refused before they are inflated when they
// say they would be too big or are shaped like a zip bomb (fflate inflates each entry into a
// buffer of the size the archive declares, so checking the declared sizes bounds the memory).
import { unzipSync } from 'fflate';
import { PartError } from './fileError';

export const ZIP_LIMITS = {
  /** all entries together, inflated */
  totalBytes: 768 * 2 ** 20,
  /** inflated ÷ compressed above this, for an entry over `bombMinBytes`, is a bomb, not data */
  maxRatio: 200,
  bombMinBytes: 32 * 2 ** 20,
  entries: 2000,
};

export function safeUnzip(bytes: Uint8Array, limits = ZIP_LIMITS): Record<string, Uint8Array> {
  let total = 0;
  let count = 0;
  let refused: PartError | null = null;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (refused) return false;
        count++;
        total += f.originalSize;
        if (count > limits.entries) refused = new PartError('zip_too_many', { n: limits.entries });
        else if (total > limits.totalBytes) refused = new PartError('zip_too_large', { mb: Math.round(limits.totalBytes / 2 ** 20) });
        else if (f.originalSize > limits.bombMinBytes && f.originalSize > limits.maxRatio * Math.max(1, f.size)) refused = new PartError('zip_bomb', { entry: f.name, ratio: Math.round(f.originalSize / Math.max(1, f.size)) });
        return !refused;
      },
    });
  } catch {
    throw new PartError('not_zip');
  }
  if (refused) throw refused;
  return files;
}
