import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/flags/did-you-mean.ts
function editDistance(a, b) {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = Array.from(
    { length: rows },
    (_, i) => Array.from({ length: cols }, (_2, j) => i === 0 ? j : j === 0 ? i : 0)
  );
  for (let i = 1; i < rows; i++)
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  return d[a.length][b.length];
}
function closest(input, known) {
  if (input.length > 64) return void 0;
  const limit = Math.min(3, Math.max(1, Math.floor(input.length / 3)));
  let best;
  for (const name of known) {
    const distance = editDistance(input.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (best === void 0 || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
function suggestion(input, known, prefix = "") {
  const hit = closest(input, known);
  return hit !== void 0 ? ` Did you mean "${prefix}${hit}"?` : "";
}

export {
  closest,
  suggestion
};
