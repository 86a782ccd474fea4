// The recorded twin run the page plays without training (issue 11): one JSON file written by
// `npm run assets` (scripts/assets/). Histograms are binned |γ| counts, never raw γ, so the file
// stays small and gzips well; the bins are the page's own (GammaHistograms' default domain and
// bin count), so a panel drawn from the recording looks as a live one would.
import type { AliveCounts, NetworkSpec, Target } from '../../morphnet/types.ts';

/** A recording holds the twin's two runs: FLOPs and size. */
export type RecordedTarget = Exclude<Target, 'latency'>;

export const RECORDING_FORMAT = 'morphnet-recording';
export const RECORDING_VERSION = 1;
/** GammaHistograms' defaults: 28 log bins over 1e-5..10, so the 0.01 threshold is a bin edge. */
export const HIST_DOMAIN: [number, number] = [1e-5, 10];
export const HIST_BINS = 28;

export interface RecordedFrame {
  step: number;
  taskLoss: number;
  /** strength × R(γ), as the page's loss curve draws it. */
  regLoss: number;
  trainAccuracy: number;
  /** Present at the readbacks where the recording scored the test set. */
  testAccuracy?: number;
  flops: number;
  params: number;
  alive: AliveCounts;
  /** HIST_BINS counts of |γ| per batch-normed layer. */
  hist: Record<string, number[]>;
}

export interface RecordedRun {
  target: RecordedTarget;
  frames: RecordedFrame[];
  /** The uniform expansion of the final alive widths back to the seed's cost under the target. */
  expansion: { omega: number; widths: Record<string, number>; flops: number; params: number };
}

export interface Recording {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  settings: {
    net: string;
    dataset: string;
    strength: number;
    threshold: number;
    lr: number;
    batch: number;
    seed: number;
  };
  spec: NetworkSpec;
  seedCost: { flops: number; params: number };
  runs: { flops: RecordedRun; size: RecordedRun };
}

/** The bin of one |γ| (layoutHistogram's rule: tiny and NaN values in the first bin, huge in the last). */
export function binOf(value: number): number {
  const [min, max] = HIST_DOMAIN;
  const lmin = Math.log10(min);
  const step = (Math.log10(max) - lmin) / HIST_BINS;
  const v = Math.abs(value);
  const c = Number.isNaN(v) ? min : Math.min(max, Math.max(min, v));
  return Math.min(HIST_BINS - 1, Math.max(0, Math.floor((Math.log10(c) - lmin) / step)));
}

export function binGammas(values: ArrayLike<number>): number[] {
  const counts = new Array<number>(HIST_BINS).fill(0);
  for (let i = 0; i < values.length; i++) counts[binOf(values[i]!)]! += 1;
  return counts;
}

/**
 * Values that fall in the recorded bins, one per channel at each bin's log-centre: what the
 * page's histogram component takes, drawn back into the same bars.
 */
export function valuesFromBins(counts: readonly number[]): Float32Array {
  const [min, max] = HIST_DOMAIN;
  const lmin = Math.log10(min);
  const step = (Math.log10(max) - lmin) / HIST_BINS;
  const out: number[] = [];
  counts.forEach((n, b) => {
    for (let k = 0; k < n; k++) out.push(10 ** (lmin + (b + 0.5) * step));
  });
  return Float32Array.from(out);
}

export class RecordingError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkRun(v: unknown, target: RecordedTarget): RecordedRun {
  if (
    !isObj(v) ||
    v.target !== target ||
    !Array.isArray(v.frames) ||
    v.frames.length === 0 ||
    !isObj(v.expansion)
  ) {
    throw new RecordingError(`the recording has no ${target} run`);
  }
  v.frames.forEach((f: unknown, i) => {
    if (
      !isObj(f) ||
      !isNum(f.step) ||
      !isNum(f.flops) ||
      !isNum(f.params) ||
      !isObj(f.alive) ||
      !isObj(f.hist)
    ) {
      throw new RecordingError(`frame ${i + 1} of the ${target} run is not a readback`);
    }
  });
  return v as unknown as RecordedRun;
}

/** Checks the shape the player relies on; anything else is one plain line. */
export function parseRecording(v: unknown): Recording {
  if (!isObj(v) || v.format !== RECORDING_FORMAT)
    throw new RecordingError('the file is not a MorphNet Studio recording');
  if (v.version !== RECORDING_VERSION)
    throw new RecordingError(`recording version ${String(v.version)} is not one this page plays`);
  if (!isObj(v.spec) || !isObj(v.settings) || !isObj(v.seedCost) || !isObj(v.runs)) {
    throw new RecordingError('the recording is missing its network or settings');
  }
  const flops = checkRun(v.runs.flops, 'flops');
  const size = checkRun(v.runs.size, 'size');
  if (flops.frames.length !== size.frames.length)
    throw new RecordingError('the two recorded runs have different lengths');
  return v as unknown as Recording;
}
