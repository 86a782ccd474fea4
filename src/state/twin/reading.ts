// The twin run's verdict, computed from the two learned structures: which layers each run kept,
// and which of the two is the thinner one early (and the other late). For FLOPs against size
// that is the paper's ResNet figure (MORPHNET.md §2: a channel's FLOPs scale with its feature
// map's resolution, its parameters do not); for a pair with latency the reading says which way
// the device's roofline tilted it, with no claim from the paper. Pure: tested in Node, never a
// hard-coded sentence.
import type { AliveCounts, NetworkSpec } from '../../morphnet/types.ts';
import { runLabel } from './labels.ts';
import { DEFAULT_TWIN_PAIR, type TwinPair } from './store.ts';

/** One conv layer of the seed, with the fraction of its channels each run keeps (0..1). */
export interface LayerFractions {
  name: string;
  seed: number;
  /** The pair's first run, and its second. */
  a: number;
  b: number;
}

/** Conv layers in the seed's order with each run's alive fraction; a missing count is all alive. */
export function layerFractions(seed: NetworkSpec, a: AliveCounts, b: AliveCounts): LayerFractions[] {
  const rows: LayerFractions[] = [];
  for (const layer of seed.layers) {
    if (layer.type !== 'conv' || layer.filters <= 0) continue;
    const w = layer.filters;
    rows.push({
      name: layer.name,
      seed: w,
      a: Math.min(1, (a[layer.name] ?? w) / w),
      b: Math.min(1, (b[layer.name] ?? w) / w),
    });
  }
  return rows;
}

export interface GroupFractions {
  /** The layers in the group, in order. */
  layers: string[];
  /** Channel-weighted alive fraction of the group in each run. */
  a: number;
  b: number;
}

export interface TwinReading {
  early: GroupFractions;
  late: GroupFractions;
  /**
   * How much thinner each run is early than late (early − late fraction). `aTilt < bTilt`: the
   * first run is the thinner one early relative to the second. A relative measure, because a
   * strong penalty can thin every layer of both runs.
   */
  aTilt: number;
  bTilt: number;
  /**
   * True when the first run is the thinner one early relative to the second (for FLOPs against
   * size, the paper's pattern); null before anything is pruned (nothing to read).
   */
  pattern: boolean | null;
}

function group(rows: readonly LayerFractions[]): GroupFractions {
  const total = rows.reduce((a, r) => a + r.seed, 0);
  const frac = (key: 'a' | 'b') => (total === 0 ? 1 : rows.reduce((a, r) => a + r[key] * r.seed, 0) / total);
  return { layers: rows.map((r) => r.name), a: frac('a'), b: frac('b') };
}

/**
 * Early = the first third of the conv layers, late = the last third (at least one each), so the
 * middle, whose resolution and width are both in between, does not blur the comparison. On the
 * built-in seeds these are the highest- and lowest-resolution stages.
 */
export function readTwin(rows: readonly LayerFractions[]): TwinReading | null {
  if (rows.length < 2) return null;
  const k = Math.max(1, Math.floor(rows.length / 3));
  const early = group(rows.slice(0, k));
  const late = group(rows.slice(rows.length - k));
  const aTilt = early.a - late.a;
  const bTilt = early.b - late.b;
  const untouched = rows.every((r) => r.a === 1 && r.b === 1);
  return { early, late, aTilt, bTilt, pattern: untouched ? null : aTilt < bTilt };
}

const pct = (f: number) => `${Math.round(f * 100)}%`;

function span(layers: readonly string[]): string {
  const first = layers[0] ?? '';
  const last = layers.at(-1) ?? '';
  return first === last ? first : `${first}–${last}`;
}

/** FLOPs against size in that order: the pair the paper's figure speaks of. */
export const isPaperPair = (pair: TwinPair) => pair[0] === 'flops' && pair[1] === 'size';

/** The one-line reading under the diagrams, naming the pair's runs. */
export function describeTwin(r: TwinReading | null, pair: TwinPair = DEFAULT_TWIN_PAIR): string {
  if (!r) return 'The network has too few convolutions to compare early and late layers.';
  if (r.pattern === null) return 'Both runs still keep every channel: train a few steps to see them part.';
  const [a, b] = pair.map(runLabel) as [string, string];
  const cap = a.charAt(0).toUpperCase() + a.slice(1);
  const early = `Early layers (${span(r.early.layers)}): ${cap} keeps ${pct(r.early.a)}, ${b} ${pct(r.early.b)}.`;
  const late = `Late layers (${span(r.late.layers)}): ${cap} keeps ${pct(r.late.a)}, ${b} ${pct(r.late.b)}.`;
  let verdict: string;
  if (isPaperPair(pair)) {
    verdict = r.pattern
      ? 'The FLOPs run is the thinner one early, relative to the size run, as in the paper.'
      : 'Not the paper’s pattern (yet): the FLOPs run is not the thinner one early, relative to the size run.';
  } else if (r.aTilt === r.bTilt) {
    verdict = `Neither run is the thinner one early, relative to the other.`;
  } else {
    const [thin, other] = r.aTilt < r.bTilt ? [a, b] : [b, a];
    verdict = `The ${thin} is the thinner one early, relative to the ${other}.`;
  }
  return `${early} ${late} ${verdict}`;
}
