/**
 * @module "Did you mean" for mistyped commands, flags and formats: the closest known name within a
 * small edit distance (Levenshtein, with a swap of two neighbours counting as one edit).
 */

/** Edit distance between two short strings (names of commands and flags), optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++)
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

/** The known name closest to `input`, if it is close enough to be a typo (a third of its length, at most 3). */
export function closest(input: string, known: readonly string[]): string | undefined {
  if (input.length > 64) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(input.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** ` Did you mean "x"?` or ''. */
export function suggestion(input: string, known: readonly string[], prefix = ''): string {
  const hit = closest(input, known);
  return hit !== undefined ? ` Did you mean "${prefix}${hit}"?` : '';
}
