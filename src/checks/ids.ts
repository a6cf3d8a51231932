// Duplicate ids among a million households, without a million-entry Set (which costs
// ~0.5 s here): an open-addressing table of string hashes; strings are compared only when
// two hashes meet.

/** 1 for each id that repeats an earlier one, else 0. */
export function markRepeats(ids: ArrayLike<string>): Uint8Array {
  const n = ids.length;
  const repeat = new Uint8Array(n);
  let size = 1;
  while (size < n * 2) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1); // index of the first id seen in each slot
  const hashes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    const h = hash(s);
    hashes[i] = h;
    let slot = h & mask;
    for (;;) {
      const j = table[slot];
      if (j < 0) { table[slot] = i; break; }
      if (hashes[j] === h && ids[j] === s) { repeat[i] = 1; break; }
      slot = (slot + 1) & mask;
    }
  }
  return repeat;
}

/**
 * Position of each id among `keys` (the first one when repeated), by the same kind of table:
 * a million roster rows looked up among 200,000 building ids without a Map of strings.
 */
export class IdIndex {
  private readonly table: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;

  constructor(private readonly keys: ArrayLike<string>) {
    const n = keys.length;
    let size = 1;
    while (size < n * 2) size <<= 1;
    this.mask = size - 1;
    this.table = new Int32Array(size).fill(-1);
    this.hashes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = keys[i];
      const h = hash(s);
      this.hashes[i] = h;
      let slot = h & this.mask;
      for (;;) {
        const j = this.table[slot];
        if (j < 0) { this.table[slot] = i; break; }
        if (this.hashes[j] === h && keys[j] === s) break; // a repeat: the first one stays
        slot = (slot + 1) & this.mask;
      }
    }
  }

  /** Index of s among the keys, or -1. */
  get(s: string): number {
    const h = hash(s);
    let slot = h & this.mask;
    for (;;) {
      const j = this.table[slot];
      if (j < 0) return -1;
      if (this.hashes[j] === h && this.keys[j] === s) return j;
      slot = (slot + 1) & this.mask;
    }
  }
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h;
}
