// Seed 004's softmax selection probabilities (section 4.2, Eq. 4; DESIGN.md "Facts the seeds lost in
// extraction"): P(s) = exp(-(score(s) - min) / T) / sum over the candidates, lower scores likelier.
// T = temperature x scale, the scale derived from the score magnitudes: the lowest score if it is
// positive, else the mean score if that is positive; when both are 0 (all scores 0) every candidate is
// equally likely. Shifting by the minimum keeps every exponent at or below 0, so nothing overflows:
// the best candidate weighs exactly 1 and the sum is at least 1. Scores should be finite and
// non-negative; an infinite or NaN score is treated as the largest finite one. The temperature must
// be at least 0; 0 is the argmin limit (the minima share all the mass).

/** Writes the probabilities of scores[0 .. count-1] into out[0 .. count-1]; allocates nothing. */
export function softmaxProbabilitiesInto(
  scores: ArrayLike<number>,
  count: number,
  temperature: number,
  out: Float64Array,
): void {
  let minScore = Number.MAX_VALUE;
  let meanScore = 0;
  for (let i = 0; i < count; i++) {
    const score = finiteScore(scores[i]);
    if (score < minScore) minScore = score;
    meanScore += score / count;
  }
  const scale = minScore > 0 ? minScore : meanScore;
  if (!(scale > 0)) {
    for (let i = 0; i < count; i++) out[i] = 1 / count;
    return;
  }
  const scaledTemperature = temperature * scale;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const excess = finiteScore(scores[i]) - minScore;
    const weight = excess === 0 ? 1 : Math.exp(-excess / scaledTemperature);
    out[i] = weight;
    total += weight;
  }
  for (let i = 0; i < count; i++) out[i] /= total;
}

/** The softmax probabilities of scores, in a new array. */
export function softmaxProbabilities(scores: ArrayLike<number>, temperature: number): Float64Array {
  const out = new Float64Array(scores.length);
  softmaxProbabilitiesInto(scores, scores.length, temperature, out);
  return out;
}

/** Clamps a score into the finite doubles; NaN counts as the worst. */
function finiteScore(score: number): number {
  if (!(score < Number.MAX_VALUE)) return Number.MAX_VALUE;
  return score > -Number.MAX_VALUE ? score : -Number.MAX_VALUE;
}
