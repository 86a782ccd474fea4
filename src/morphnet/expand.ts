// Expansion (MORPHNET.md §1.3): the largest width multiplier ω whose network fits the budget.
import { countedMembers, networkCost, targetCost } from './cost.ts';
import { traceChannels } from './plan.ts';
import type { ChannelTrace, Component } from './plan.ts';
import { layerInputs } from './shape.ts';
import { validateSpec } from './spec.ts';
import { printable, shownValue, specLimit } from './spec-limits.ts';
import type { AliveCounts, Flops, LatencySettings, Layer, NetworkSpec, Params, Target } from './types.ts';
import { emptyRecord, own } from './records.ts';

export class ExpandError extends Error {
  override name = 'ExpandError';
}

export interface ExpandResult {
  /** The expanded spec, valid (re-validated), with removed blocks gone and their consumers rewired. */
  spec: NetworkSpec;
  omega: number;
  /** latencyNs: on `options.latency`'s device, when it was given. */
  cost: { flops: Flops; params: Params; latencyNs?: number };
  /** New output width of every conv and depthwise layer of the seed; 0 where the layer was removed. */
  widths: Record<string, number>;
  /** The spec limit (spec-limits.ts) that stopped ω below the budget, or null if the budget did. */
  limit: string | null;
}

/**
 * The alive count ω scales, per component: a group's is the max over its members' counts (the OR
 * of §4; missing members count as fully alive); a pinned component's channels cannot die, so it
 * scales from its full width; a fixed one (tied to the image or a dense) returns null: never scaled.
 */
export function componentAlive(c: Component, trace: ChannelTrace, alive: AliveCounts): number | null {
  if (c.mode === 'fixed') return null;
  if (c.mode === 'pinned') return c.size;
  const g = trace.plan.groups[c.group as number];
  const members = g === undefined ? [] : countedMembers(trace.plan, g);
  const counts = members.map((m) => own(alive, m)).filter((n): n is number => n !== undefined);
  return counts.length === 0 ? c.size : Math.min(c.size, Math.max(0, ...counts));
}

/**
 * The spec with each conv's `filters` set from `filters`; a conv at 0 is removed, and so is every
 * layer fed only by removed tensors. An add or concat keeps its remaining inputs; left with one,
 * it is replaced by that input (its consumers read it directly). Null when the logits are cut off.
 */
export function pruneSpec(spec: NetworkSpec, filters: Record<string, number>): NetworkSpec | null {
  const alias = new Map<string, string>();
  const removed = new Set<string>();
  const resolve = (n: string): string => {
    let cur = n;
    for (let a = alias.get(cur); a !== undefined; a = alias.get(cur)) cur = a;
    return cur;
  };
  const layers: Layer[] = [];
  for (const layer of spec.layers) {
    const live = layerInputs(layer)
      .map(resolve)
      .filter((n) => !removed.has(n));
    const width = layer.type === 'conv' ? (own(filters, layer.name) ?? layer.filters) : 1;
    if (live.length === 0 || width === 0) {
      removed.add(layer.name);
      continue;
    }
    if (layer.type === 'add' || layer.type === 'concat') {
      if (live.length === 1) alias.set(layer.name, live[0] as string);
      else layers.push({ ...layer, from: live });
    } else if (layer.type === 'conv') {
      layers.push({ ...layer, from: live[0] as string, filters: width });
    } else {
      layers.push({ ...layer, from: live[0] as string });
    }
  }
  const last = spec.layers[spec.layers.length - 1];
  if (last === undefined || layers[layers.length - 1]?.name !== last.name) return null;
  return { ...spec, layers: withoutDeadEnds(layers) };
}

/** Drops layers nothing reads any more (a tower's maxpool once its 1×1 conv is gone); the logits stay. */
function withoutDeadEnds(layers: Layer[]): Layer[] {
  const read = new Set<string>();
  const kept: Layer[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i] as Layer;
    if (i !== layers.length - 1 && !read.has(l.name)) continue;
    for (const n of layerInputs(l)) read.add(n);
    kept.push(l);
  }
  return kept.reverse();
}

interface Scaling {
  trace: ChannelTrace;
  /** Per component: the count ω multiplies, or null to keep the seed width. */
  base: (number | null)[];
  /** Components whose alive count is 0 and whose removal keeps the logits connected. */
  removed: Set<number>;
}

/** Conv widths at ω: max(1, round(ω·alive)) per component, 0 for removed ones, seed width for fixed. */
export function widthsAt(s: Scaling, omega: number): Record<string, number> {
  const out = emptyRecord<number>();
  for (const c of s.trace.components) {
    const a = s.base[c.id];
    const w = s.removed.has(c.id)
      ? 0
      : a === null || a === undefined
        ? c.size
        : Math.max(1, Math.round(omega * a));
    for (const l of c.layers) out[l] = w;
  }
  return out;
}

/** How a seed with these alive counts scales: exported so tests can probe the next rounding step. */
export function scalingFor(spec: NetworkSpec, alive: AliveCounts): Scaling {
  const trace = traceChannels(spec);
  const base = trace.components.map((c) => componentAlive(c, trace, alive));
  const removed = new Set<number>();
  // A zero group is removed only if the logits stay reachable; otherwise it keeps width 1 (§4).
  for (const c of trace.components) {
    if (base[c.id] !== 0) continue;
    const trial = { trace, base, removed: new Set([...removed, c.id]) };
    if (pruneSpec(spec, widthsAt(trial, 1)) !== null) removed.add(c.id);
  }
  return { trace, base, removed };
}

function networkAt(spec: NetworkSpec, s: Scaling, omega: number): NetworkSpec {
  const pruned = pruneSpec(spec, widthsAt(s, omega));
  if (pruned === null) throw new Error('expand: the logits were cut off'); // scalingFor prevents this
  return pruned;
}

/** Alive counts from outside (a file, a saved run) before they size anything: integers within each layer's width. */
function checkAlive(spec: NetworkSpec, alive: AliveCounts): void {
  const widths = traceChannels(spec).plan.widths;
  for (const [layer, n] of Object.entries(alive)) {
    const width = own(widths, layer);
    if (width === undefined) {
      throw new ExpandError(
        `the alive counts name "${printable(layer)}", which is no conv or depthwise layer of spec "${spec.name}"`,
      );
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > width) {
      throw new ExpandError(
        `the alive count of layer "${layer}" must be an integer from 0 to ${width}, got ${shownValue(n)}`,
      );
    }
  }
}

/**
 * The largest ω with F(widths(ω)) ≤ budget, by bisection (F only grows with ω, §1.3; so does
 * latency, a sum of maxima of growing terms). The budget defaults to the seed's own cost under
 * the target. Target 'latency' needs `latency`: the device and batch it prices for (ns).
 */
export function expandSpec(
  spec: NetworkSpec,
  alive: AliveCounts,
  options: { target: Target; budget?: number; latency?: LatencySettings },
): ExpandResult {
  const { target, latency } = options;
  if (target === 'latency' && latency === undefined) {
    throw new ExpandError('the latency target needs the device to price for (peak GFLOP/s and bandwidth GB/s)');
  }
  const F = (net: NetworkSpec): number => targetCost(networkCost(net, undefined, latency), target);
  const budget = options.budget ?? F(spec);
  if (!Number.isFinite(budget) || budget <= 0) {
    throw new ExpandError(`the budget must be a positive number, got ${shownValue(budget)}`);
  }
  checkAlive(spec, alive);
  const s = scalingFor(spec, alive);
  const cost = (omega: number): number => F(networkAt(spec, s, omega));
  // ω grows while the network fits the budget and stays within the limits a spec may ask for.
  const stopper = (omega: number): string | null => {
    const net = networkAt(spec, s, omega);
    if (F(net) > budget) return 'budget';
    return specLimit(net)?.message ?? null;
  };
  const fits = (omega: number): boolean => stopper(omega) === null;
  const smallest = cost(0);
  if (smallest > budget) {
    throw new ExpandError(
      `the budget ${budget} is below the cost of the smallest network at these alive counts (${smallest})`,
    );
  }
  const convs = new Set(spec.layers.filter((l) => l.type === 'conv').map((l) => l.name));
  const scales = s.trace.components.some((c) => {
    const a = s.base[c.id];
    return (
      a !== null && a !== undefined && a > 0 && !s.removed.has(c.id) && c.layers.some((l) => convs.has(l))
    );
  });
  let lo = 0;
  let limit: string | null = null;
  if (scales) {
    let hi = 1;
    while (fits(hi)) {
      lo = hi;
      hi *= 2;
      if (hi > 2 ** 30)
        throw new ExpandError(`the budget ${budget} is out of reach: the network stops growing`);
    }
    // Widths change only where ω·alive crosses a half-integer; 200 halvings pin that point down.
    for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
      const mid = (lo + hi) / 2;
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    const stop = stopper(hi);
    limit = stop === 'budget' ? null : stop;
  } else {
    lo = 1;
  }
  const expanded = validateSpec(networkAt(spec, s, lo), spec.name);
  const c = networkCost(expanded, undefined, latency);
  const newShapes = traceChannels(expanded).plan.widths;
  const widths = emptyRecord<number>();
  for (const name of Object.keys(s.trace.plan.widths)) widths[name] = own(newShapes, name) ?? 0;
  const out: ExpandResult['cost'] = { flops: c.flops, params: c.params };
  if (c.latencyNs !== undefined) out.latencyNs = c.latencyNs;
  return { spec: expanded, omega: lo, cost: out, widths, limit };
}
