// The twin run's verdict, computed from the two learned structures: which layers each run kept,
// and whether the FLOPs run is thinner early (and the size run late), as the paper's ResNet
// figure shows (MORPHNET.md §2: a channel's FLOPs scale with its feature map's resolution, its
// parameters do not). Pure: tested in Node, never a hard-coded sentence.
import type { AliveCounts, NetworkSpec } from '../../morphnet/types.ts';

/** One conv layer of the seed, with the fraction of its channels each run keeps (0..1). */
export interface LayerFractions {
  name: string;
  seed: number;
  flops: number;
  size: number;
}

/** Conv layers in the seed's order with each run's alive fraction; a missing count is all alive. */
export function layerFractions(seed: NetworkSpec, flops: AliveCounts, size: AliveCounts): LayerFractions[] {
  const rows: LayerFractions[] = [];
  for (const layer of seed.layers) {
    if (layer.type !== 'conv' || layer.filters <= 0) continue;
    const w = layer.filters;
    rows.push({
      name: layer.name,
      seed: w,
      flops: Math.min(1, (flops[layer.name] ?? w) / w),
      size: Math.min(1, (size[layer.name] ?? w) / w),
    });
  }
  return rows;
}

export interface GroupFractions {
  /** The layers in the group, in order. */
  layers: string[];
  /** Channel-weighted alive fraction of the group in each run. */
  flops: number;
  size: number;
}

export interface TwinReading {
  early: GroupFractions;
  late: GroupFractions;
  /**
   * How much thinner each run is early than late (early − late fraction). The paper's pattern is
   * `flopsTilt < sizeTilt`: the FLOPs run is thinner early relative to the size run. A relative
   * measure, because a strong penalty can thin every layer of both runs.
   */
  flopsTilt: number;
  sizeTilt: number;
  /** True when the paper's pattern shows; null before anything is pruned (nothing to read). */
  pattern: boolean | null;
}

function group(rows: readonly LayerFractions[]): GroupFractions {
  const total = rows.reduce((a, r) => a + r.seed, 0);
  const frac = (key: 'flops' | 'size') =>
    total === 0 ? 1 : rows.reduce((a, r) => a + r[key] * r.seed, 0) / total;
  return { layers: rows.map((r) => r.name), flops: frac('flops'), size: frac('size') };
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
  const flopsTilt = early.flops - late.flops;
  const sizeTilt = early.size - late.size;
  const untouched = rows.every((r) => r.flops === 1 && r.size === 1);
  return { early, late, flopsTilt, sizeTilt, pattern: untouched ? null : flopsTilt < sizeTilt };
}

const pct = (f: number) => `${Math.round(f * 100)}%`;

function span(layers: readonly string[]): string {
  const first = layers[0] ?? '';
  const last = layers.at(-1) ?? '';
  return first === last ? first : `${first}–${last}`;
}

/** The one-line reading under the diagrams. */
export function describeTwin(r: TwinReading | null): string {
  if (!r) return 'The network has too few convolutions to compare early and late layers.';
  if (r.pattern === null) return 'Both runs still keep every channel: train a few steps to see them part.';
  const early = `Early layers (${span(r.early.layers)}): FLOPs run keeps ${pct(r.early.flops)}, size run ${pct(r.early.size)}.`;
  const late = `Late layers (${span(r.late.layers)}): FLOPs run keeps ${pct(r.late.flops)}, size run ${pct(r.late.size)}.`;
  const verdict = r.pattern
    ? 'The FLOPs run is the thinner one early, relative to the size run, as in the paper.'
    : 'Not the paper’s pattern (yet): the FLOPs run is not the thinner one early, relative to the size run.';
  return `${early} ${late} ${verdict}`;
}
