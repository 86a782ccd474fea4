// The report's smaller questions (issue 14): the FLOPs/size pattern seed by seed, whether a tower
// of inception-mini vanishes, and whether a second shrink/expand cycle gains accuracy.
import type { SweepFile, SweepPoint } from '../../src/morphnet/sweep.ts';
import type { AliveCounts, NetworkSpec } from '../../src/morphnet/types.ts';
import { readPattern, type PatternReading } from './pattern.ts';
import type { TrainRun } from './runs.ts';
import { interpolate } from './seeds.ts';

export interface SeedPattern {
  seed: number;
  reading: PatternReading;
  /** All three of the pattern's statements hold for this seed. */
  holds: boolean;
}

/**
 * Seed by seed: the structure MorphNet learned towards FLOPs in that seed's sweep (at `label`)
 * against the size-targeted run of the same seed, length and strength.
 */
export function patternBySeed(
  seedSpec: NetworkSpec,
  sweeps: readonly SweepFile[],
  sizeRuns: ReadonlyMap<number, TrainRun>,
  label: string,
): SeedPattern[] {
  return sweeps.flatMap((s) => {
    const point = s.points.find((p) => p.family === 'morphnet' && p.label === label);
    const size = sizeRuns.get(s.settings.seed);
    if (point === undefined || size === undefined) return [];
    const reading = readPattern(seedSpec, point.alive, size.final.alive);
    return [
      {
        seed: s.settings.seed,
        reading,
        holds: reading.flopsThinsEarly && reading.sizeThinsLate && reading.relative,
      },
    ];
  });
}

export interface Tower {
  concat: string;
  /** The layer that feeds the concat (a tower's last conv). */
  layer: string;
  /** The tower's convs from its first to `layer`, each with its seed width and alive count. */
  chain: { name: string; seedWidth: number; alive: number }[];
  /** A conv of the tower has no channel left: nothing reaches the concat through it. */
  vanished: boolean;
}

/**
 * Each conv input of each concat, walked back through the convs that feed only it (a 1×1
 * reduce before a 3×3): the tower has vanished when any of them is at 0 alive, for then nothing
 * of the block's input reaches the concat through it.
 */
export function towers(spec: NetworkSpec, alive: AliveCounts): Tower[] {
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  const readers = new Map<string, number>();
  for (const l of spec.layers) for (const f of [l.from].flat()) readers.set(f, (readers.get(f) ?? 0) + 1);
  // A conv read by other layers too (a shared stem) belongs to no one tower.
  const link = (name: string, last = false) => {
    const l = byName.get(name);
    return l?.type === 'conv' && (last || readers.get(name) === 1)
      ? { name, seedWidth: l.filters, alive: alive[name] ?? l.filters, from: l.from }
      : null;
  };
  return spec.layers.flatMap((l) => {
    if (l.type !== 'concat') return [];
    return l.from.flatMap((name) => {
      const chain = [];
      for (let c = link(name, true); c !== null; c = link(c.from))
        chain.unshift({ name: c.name, seedWidth: c.seedWidth, alive: c.alive });
      if (chain.length === 0) return [];
      return [{ concat: l.name, layer: name, chain, vanished: chain.some((c) => c.alive === 0) }];
    });
  });
}

export interface CycleReading {
  seed: number;
  /** The first cycle's MorphNet point. */
  label: string;
  first: { flops: number; accuracy: number };
  second: { flops: number; accuracy: number };
  /** Second minus first cycle. */
  gain: number;
  /** The uniform curve of the same seed at the second network's FLOPs (null outside its range). */
  uniformAtSecond: number | null;
}

/** The first cycle is the sweep's MorphNet point `first`; the second, the retrained network. */
export function readCycle(
  seed: number,
  first: SweepPoint,
  uniform: readonly SweepPoint[],
  retrain: TrainRun,
): CycleReading {
  const second = { flops: retrain.final.flops, accuracy: retrain.final.testAccuracy };
  return {
    seed,
    label: first.label,
    first: { flops: first.flops, accuracy: first.testAccuracy },
    second,
    gain: second.accuracy - first.testAccuracy,
    uniformAtSecond: interpolate(
      uniform.map((p) => ({ x: p.flops, y: p.testAccuracy })),
      second.flops,
    ),
  };
}
