// Seed 004's softmax selection probabilities (section 4.2, Eq. 4; DESIGN.md "Facts the seeds lost in
// extraction"): P(s) = exp(-(score(s) - min) / T) / sum over the candidates, lower scores likelier.
// The paper derives T "from the score magnitudes"; the twin takes T = temperature × (mean score + 1).
// The mean makes T follow the magnitudes (scores ten times larger, T ten times larger); the + 1, one
// score unit (one request in flight at 1 ms in the hybrid score), keeps T above 0, so that the
// probabilities are continuous in the scores everywhere, including where every score reaches 0 (an
// idle cluster under Pinot's queue floor of 0), where they tend to uniform instead of jumping to
// argmin. Each probability moves by at most about 2 × (largest change of a score) / temperature.
// Shifting by the minimum keeps every exponent at or below 0, so nothing overflows: the best candidate
// weighs exactly 1 and the sum is at least 1. Scores should be finite and non-negative; an infinite or
// NaN score (or one beyond half the largest double) gets probability 0 and no say in T, unless every
// score is such, when all are equally likely. The temperature must be at least 0; 0 is the argmin
// limit (the minima share all the mass).

/** Score units added to the mean score in the temperature: what keeps T positive. */
export const SOFTMAX_SCORE_UNIT = 1;

/** Writes the probabilities of scores[0 .. count-1] into out[0 .. count-1]; allocates nothing. */
export function softmaxProbabilitiesInto(
  scores: ArrayLike<number>,
  count: number,
  temperature: number,
  out: Float64Array,
): void {
  let minScore = Infinity;
  let meanScore = 0;
  let finite = 0;
  for (let i = 0; i < count; i++) {
    const score = scores[i];
    if (!isUsable(score)) continue;
    if (score < minScore) minScore = score;
    finite++;
  }
  if (finite === 0) {
    for (let i = 0; i < count; i++) out[i] = 1 / count;
    return;
  }
  for (let i = 0; i < count; i++) if (isUsable(scores[i])) meanScore += scores[i] / finite;
  const scaledTemperature = temperature * (Math.abs(meanScore) + SOFTMAX_SCORE_UNIT);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const score = scores[i];
    const excess = score - minScore;
    const weight = !isUsable(score) ? 0 : excess === 0 ? 1 : scaledTemperature > 0 ? Math.exp(-excess / scaledTemperature) : 0;
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

/** A score that takes part: finite and small enough that a mean of them cannot overflow. */
function isUsable(score: number): boolean {
  return Math.abs(score) <= Number.MAX_VALUE / 2;
}
