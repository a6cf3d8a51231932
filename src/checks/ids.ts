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
    let h = 0x811c9dc5;
    for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
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
