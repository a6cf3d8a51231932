// Seeded random numbers for the demo generator. Every consumer gets its own named stream,
// so retuning one part of the generator does not reshuffle the others.
import seedrandom from 'seedrandom';

export class Rng {
  private readonly r: seedrandom.PRNG;

  constructor(seed: string) {
    this.r = seedrandom(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.r();
  }

  /** Uniform in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.r();
  }

  /** Integer uniform in [a, b] (both inclusive). */
  int(a: number, b: number): number {
    return a + Math.floor(this.r() * (b - a + 1));
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.r() * items.length)];
  }

  /** Index drawn with the given non-negative weights. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) throw new Error('Rng.weightedIndex: weights sum to zero');
    let x = this.r() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    return items[this.weightedIndex(weights)];
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.r() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

export function rngFor(seed: number, stream: string): Rng {
  return new Rng(`gridscope-demo/${seed}/${stream}`);
}
