// Spearman's rank correlation, for how well a cost model orders networks by their measured time
// (the benchmark's "Latency: predicted against measured"). Ties take the mean of the ranks they
// span, and ρ is Pearson's correlation of those ranks, which stays exact with ties (the
// 1 − 6Σd²/(n(n²−1)) shortcut does not).

/** 1-based ranks of `xs`, ascending; equal values share the mean of their ranks. */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(xs.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
    const mean = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[order[k]![1]] = mean;
    start = end + 1;
  }
  return out;
}

/**
 * ρ of two paired lists, from −1 (reversed order) to 1 (the same order). NaN when it is
 * undefined: fewer than two pairs, or one list all equal. Throws on unequal lengths or a
 * non-finite value (a bug in the caller, not a measurement).
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new Error(`spearman: ${xs.length} against ${ys.length} values`);
  if (![...xs, ...ys].every(Number.isFinite)) throw new Error('spearman: a value is not finite');
  if (xs.length < 2) return NaN;
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (xs.length + 1) / 2; // the mean of any list of ranks 1..n, ties or not
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
