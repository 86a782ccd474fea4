// The two baselines MorphNet is compared with (issue 4, "The trade-off chart"): a uniform width
// multiplier, and magnitude filter pruning (seeds/003: remove the k% of filters with the smallest
// L2 norm in each layer). Groups (MORPHNET.md §4) are kept equal in both.
import { pruneSpec, scalingFor, widthsAt } from './expand.ts';
import { traceChannels } from './plan.ts';
import { inferShapes, layerInputs, shapeChannels } from './shape.ts';
import { validateSpec } from './spec.ts';
import type { AliveCounts, NetworkSpec } from './types.ts';
import { emptyRecord, own, recordFrom } from './records.ts';

/**
 * The seed with every width × `multiplier`: max(1, round(m·width)) per set of tied layers, the
 * same rule as expansion (§1.3) with every channel alive. Layers tied to the image or a dense
 * output keep their widths; a depthwise layer follows its input.
 */
export function uniformSpec(spec: NetworkSpec, multiplier: number): NetworkSpec {
  if (!(multiplier > 0) || !Number.isFinite(multiplier)) {
    throw new RangeError(`uniformSpec: the multiplier must be a positive number, got ${multiplier}`);
  }
  const pruned = pruneSpec(spec, widthsAt(scalingFor(spec, {}), multiplier));
  if (pruned === null) throw new Error('uniformSpec: the logits were cut off'); // no width is 0
  return validateSpec(pruned, spec.name);
}

/** Output width of every conv and depthwise layer of `seed` in `spec` (a smaller net built from it); 0 where it is gone. */
export function seedWidths(seed: NetworkSpec, spec: NetworkSpec): Record<string, number> {
  const shapes = inferShapes(spec);
  const out = emptyRecord<number>();
  for (const l of seed.layers) {
    if (l.type !== 'conv' && l.type !== 'depthwise') continue;
    const s = shapes[l.name];
    out[l.name] = s === undefined ? 0 : shapeChannels(s);
  }
  return out;
}

/**
 * Which of the seed's channels each tensor keeps when every conv keeps the filters listed in
 * `filters` (ascending indices; a conv not listed keeps all): conv → its filters, depthwise →
 * the channels of its kept inputs (channel c·m + j for input c), add → its first input's (tied
 * inputs keep the same ones), concat → its inputs' laid end to end at the seed's offsets,
 * maxpool and gap pass theirs through, the image and dense layers keep everything.
 * Keys are tensor names ('input' and every layer).
 */
export function keptChannels(
  spec: NetworkSpec,
  filters: Record<string, readonly number[]>,
): Record<string, number[]> {
  const shapes = inferShapes(spec);
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  const kept = emptyRecord<number[]>();
  kept['input'] = all(spec.input.channels);
  const width = (name: string) => shapeChannels(shapes[name]!);
  for (const layer of spec.layers) {
    const ins = layerInputs(layer);
    const first = kept[ins[0]!] ?? [];
    switch (layer.type) {
      case 'conv':
        kept[layer.name] = [...(own(filters, layer.name) ?? all(layer.filters))];
        break;
      case 'depthwise': {
        const m = layer.multiplier ?? 1;
        kept[layer.name] = first.flatMap((c) => all(m).map((j) => c * m + j));
        break;
      }
      case 'concat': {
        let offset = 0;
        const out: number[] = [];
        for (const n of ins) {
          for (const c of kept[n] ?? []) out.push(offset + c);
          offset += width(n);
        }
        kept[layer.name] = out;
        break;
      }
      case 'dense':
        kept[layer.name] = all(layer.units);
        break;
      default:
        kept[layer.name] = [...first];
    }
  }
  return kept;
}

export interface PruneResult {
  /** The pruned network, valid; convs left with no filter are removed like expansion removes them. */
  spec: NetworkSpec;
  /** Filters kept per conv and depthwise layer of the seed; 0 where the layer is gone. */
  alive: AliveCounts;
  /** Per tensor of the seed ('input' and every layer): the seed's channel indices kept, ascending. */
  kept: Record<string, number[]>;
}

/**
 * Magnitude filter pruning (seeds/003, unit pruning): in each set of tied conv layers, remove
 * round(fraction·width) filters with the smallest L2 norm. Tied layers (adds, §4) are pruned
 * together by the group's norm, √(Σ member norm²) per channel: the norm of every weight that
 * writes that channel. A set pruned to 0 is removed if the logits stay connected, otherwise it
 * keeps its largest filter. Layers tied to the image or a dense output are not pruned. Ties in
 * norm remove the lower index first.
 */
export function pruneByMagnitude(
  spec: NetworkSpec,
  filterNorms: Readonly<Record<string, ArrayLike<number>>>,
  fraction: number,
): PruneResult {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`pruneByMagnitude: the fraction must be in [0, 1], got ${fraction}`);
  }
  const trace = traceChannels(spec);
  const convs = new Set(spec.layers.filter((l) => l.type === 'conv').map((l) => l.name));
  const filters = emptyRecord<number[]>();
  const emptied: { members: string[]; largest: number }[] = [];
  for (const c of trace.components) {
    const members = c.layers.filter((l) => convs.has(l));
    if (c.mode === 'fixed' || members.length === 0) continue;
    const score = new Float64Array(c.size);
    for (const m of members) {
      const norms = own(filterNorms, m);
      if (norms === undefined || norms.length !== c.size) {
        throw new Error(`pruneByMagnitude: layer "${m}" needs ${c.size} filter norms, got ${norms?.length ?? 'none'}`);
      }
      for (let i = 0; i < c.size; i++) {
        // A NaN would make the sort below order nothing (a diverged run's weights).
        if (!Number.isFinite(norms[i])) throw new Error(`pruneByMagnitude: layer "${m}" has a non-finite filter norm (${norms[i]}) at ${i}`);
        score[i] = score[i]! + norms[i]! * norms[i]!;
      }
    }
    const order = Array.from({ length: c.size }, (_, i) => i).sort((a, b) => score[a]! - score[b]! || a - b);
    const keep = order.slice(Math.round(fraction * c.size)).sort((a, b) => a - b);
    // A set pruned to 0 first keeps its largest filter; it is removed below if it can be.
    if (keep.length === 0) emptied.push({ members, largest: order[order.length - 1]! });
    for (const m of members) filters[m] = keep.length === 0 ? [order[order.length - 1]!] : keep;
  }
  const countsOf = () => recordFrom(Object.entries(filters).map(([l, f]) => [l, f.length] as const));
  // One set at a time, as expansion does (§4): removed only where the logits stay reachable.
  for (const { members, largest } of emptied) {
    for (const m of members) filters[m] = [];
    if (pruneSpec(spec, countsOf()) === null) for (const m of members) filters[m] = [largest];
  }
  const pruned = pruneSpec(spec, countsOf());
  if (pruned === null) throw new Error('pruneByMagnitude: the logits were cut off');
  const out = validateSpec(pruned, spec.name);
  const kept = keptChannels(spec, filters);
  const present = new Set(out.layers.map((l) => l.name));
  const alive: AliveCounts = emptyRecord();
  for (const name of Object.keys(trace.plan.widths)) alive[name] = present.has(name) ? (kept[name]?.length ?? 0) : 0;
  return { spec: out, alive, kept };
}
