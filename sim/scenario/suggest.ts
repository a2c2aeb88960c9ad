// "Did you mean" suggestions for misspelt keys and values: the closest allowed word by edit distance
// (insertions, deletions, substitutions and swaps of neighbours), ignoring case.

/** Edits that turn `a` into `b`, a swap of two neighbouring letters counting as one. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[i].push(j);
        continue;
      }
      const substitution = rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i].push(best);
    }
  }
  return rows[a.length][b.length];
}

/** The allowed word closest to `word` if it is within two edits (and not a rewrite of all of it). */
export function closestMatch(word: string, allowed: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(2, lower.length - 1) + 1;
  for (const candidate of allowed) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean "x"?` for a near miss, or nothing. */
export function didYouMean(word: unknown, allowed: readonly string[]): string {
  if (typeof word !== 'string') return '';
  const match = closestMatch(word, allowed);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}
