// Property values nested deeper than any real attribute is (a GeoJSON or FlatGeobuf value of
// arrays in arrays 100,000 deep): found without recursion, so the feature can be set aside by
// name before the steps that turn values into text (String, JSON.stringify, structured clone)
// overflow the stack on it.
import type { Feature } from 'geojson';

/** Deeper than this, a property's value is refused (real attributes nest a few levels at most). */
export const MAX_NESTING = 32;

/** Whether a value nests arrays or objects more than `max` levels deep, walked without recursion. */
export function nestedDeeper(v: unknown, max = MAX_NESTING): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const stack: [object, number][] = [[v, 1]];
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const c of Object.values(x)) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
  return false;
}

/**
 * The features with every too-deep value taken out, in the same places (so positions still
 * name features), and for each feature that had one, the first such property's name.
 */
export function withoutDeepValues(features: Feature[]): { features: Feature[]; deep: Map<number, string> } {
  const deep = new Map<number, string>();
  const out = features.map((f, i) => {
    const p = f.properties;
    if (!p) return f;
    const keys = Object.keys(p).filter((k) => nestedDeeper(p[k]));
    if (!keys.length) return f;
    deep.set(i, keys[0]);
    const kept = { ...p };
    for (const k of keys) delete kept[k];
    return { ...f, properties: kept };
  });
  return { features: out, deep };
}
