// The soak's samples and the bound each series is held to (issue 9, "Long runs"). Pure: the
// report and its test use these without a backend or a browser.

/** One reading of every series at a training step. */
export interface Sample {
  step: number;
  /** Seconds since training began. */
  t: number;
  values: Record<string, number>;
}

/**
 * `flat`: every sample after warm-up equals the warm-up sample exactly (Node samples between
 * steps, when nothing is in flight, so a single leaked tensor shows).
 * `no-growth`: the largest value in the last third of the samples after warm-up is no larger
 * than the largest in the first third (the page is sampled while its worker trains, so a reading
 * may land mid-step with the step's own tensors alive; a leak still raises the later maxima).
 * `within`: no sample after warm-up exceeds the warm-up sample by more than `limit`.
 */
export type Bound = { kind: 'flat' } | { kind: 'no-growth' } | { kind: 'within'; limit: number };

export interface SeriesInfo {
  key: string;
  label: string;
  unit: 'count' | 'bytes';
  bound: Bound;
}

export interface Judgement {
  series: SeriesInfo;
  /** The first sample at or after the warm-up step. */
  base: Sample | null;
  last: Sample | null;
  max: number;
  ok: boolean;
  /** Why, in a few words, with the number that decided it. */
  reason: string;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
export const amount = (unit: SeriesInfo['unit'], v: number) =>
  unit === 'bytes' ? mb(v) : Math.round(v).toLocaleString('en-US');

export function boundText(s: SeriesInfo): string {
  const b = s.bound;
  if (b.kind === 'flat') return 'exactly flat after warm-up';
  if (b.kind === 'no-growth') return 'max of the last third ≤ max of the first third';
  return `within +${amount(s.unit, b.limit)} of warm-up`;
}

export function judge(samples: readonly Sample[], warmupStep: number, series: SeriesInfo): Judgement {
  const after = samples.filter((s) => s.step >= warmupStep && series.key in s.values);
  const value = (s: Sample) => s.values[series.key] as number;
  const base = after[0] ?? null;
  const last = after.at(-1) ?? null;
  const max = after.length ? Math.max(...after.map(value)) : NaN;
  const out = { series, base, last, max };
  if (base === null || after.length < 3) {
    return { ...out, ok: false, reason: `only ${after.length} sample(s) after warm-up: not enough to judge` };
  }
  if (after.some((s) => !Number.isFinite(value(s)))) {
    return { ...out, ok: false, reason: 'a sample is not a finite number' };
  }
  const b = series.bound;
  const fmt = (v: number) => amount(series.unit, v);
  if (b.kind === 'flat') {
    const off = after.find((s) => value(s) !== value(base));
    return off === undefined
      ? { ...out, ok: true, reason: `${fmt(value(base))} at all ${after.length} samples` }
      : {
          ...out,
          ok: false,
          reason: `${fmt(value(off))} at step ${off.step}, ${fmt(value(base))} at warm-up`,
        };
  }
  if (b.kind === 'within') {
    const rise = max - value(base);
    return { ...out, ok: rise <= b.limit, reason: `largest rise ${rise >= 0 ? '+' : ''}${fmt(rise)}` };
  }
  const third = Math.max(1, Math.floor(after.length / 3));
  const early = Math.max(...after.slice(0, third).map(value));
  const late = Math.max(...after.slice(-third).map(value));
  return {
    ...out,
    ok: late <= early,
    reason: `max ${fmt(early)} in the first third, ${fmt(late)} in the last`,
  };
}
