// Small statistics for the benchmark: medians, not means, because a shared machine's noise comes
// in one-sided spikes (another process takes the core), which a median ignores.
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** `1,234 ms`, `12.3 ms`, `0.42 ms`: three significant figures at most, grouped thousands. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return `${x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ms`;
}

export function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(x < 0.01 ? 2 : 1)}%` : 'n/a';
}

export function num(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
}

/** The list as `a, b, c` in ms without units, for "how it was measured" lines. */
export function list(xs: readonly number[]): string {
  return xs.map((x) => x.toFixed(x >= 100 ? 0 : 1)).join(', ');
}
