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
  seedWidth: number;
  alive: number;
}

/** Each conv input of each concat with its alive count: a tower at 0 has vanished. */
export function towers(spec: NetworkSpec, alive: AliveCounts): Tower[] {
  const byName = new Map(spec.layers.map((l) => [l.name, l]));
  return spec.layers.flatMap((l) => {
    if (l.type !== 'concat') return [];
    return l.from.flatMap((name) => {
      const src = byName.get(name);
      if (src === undefined || src.type !== 'conv') return [];
      return [{ concat: l.name, layer: name, seedWidth: src.filters, alive: alive[name] ?? src.filters }];
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
