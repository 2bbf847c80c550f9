/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions): `scpoe` is one
 * edit from `scope`, as a person counts it.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known field an unknown one was most likely meant to be: same letters in another case, or
 * within a third of its length in edits (at least 1, at most 3). Undefined when nothing is close,
 * so a wholly foreign field is just "unknown field".
 */
export function closestField(unknown: string, known: Iterable<string>): string | undefined {
  if (unknown.length > 64) return undefined;
  const lower = unknown.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(name.length, unknown.length) / 3)));
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** `unknown field`, with `(did you mean "scope"?)` when a known field is close. */
export function unknownFieldMessage(unknown: string, known: Iterable<string>): string {
  const close = closestField(unknown, known);
  return close === undefined ? 'unknown field' : `unknown field (did you mean "${close}"?)`;
}
