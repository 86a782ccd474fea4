// The pure half of `npm run assets`: a readback becomes a recorded frame (rounded, |γ| binned),
// and the final widths become the expansion that follows. Kept apart from main.ts so it is
// tested without training anything.
import { expandSpec } from '../../src/morphnet/expand.ts';
import type { NetworkSpec, Target } from '../../src/morphnet/types.ts';
import type { Metrics } from '../../src/engine/types.ts';
import { binGammas, type RecordedFrame, type RecordedRun } from '../../src/state/replay/recording.ts';

/** Four significant digits: enough for a curve, and the file stays small and gzips well. */
export function round4(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(4)) : 0;
}

export function frameOf(m: Metrics, testAccuracy?: number): RecordedFrame {
  const hist: Record<string, number[]> = {};
  for (const [name, values] of Object.entries(m.gammas)) hist[name] = binGammas(values);
  return {
    step: m.step,
    taskLoss: round4(m.taskLoss),
    regLoss: round4(m.regLoss),
    trainAccuracy: round4(m.trainAccuracy),
    ...(testAccuracy === undefined ? {} : { testAccuracy: round4(testAccuracy) }),
    flops: m.flops,
    params: m.params,
    alive: { ...m.alive },
    hist,
  };
}

export function expansionOf(
  spec: NetworkSpec,
  frames: RecordedFrame[],
  target: Target,
): RecordedRun['expansion'] {
  const last = frames[frames.length - 1];
  if (!last) throw new Error('a recorded run needs at least one readback');
  const e = expandSpec(spec, last.alive, { target });
  return { omega: round4(e.omega), widths: e.widths, flops: e.cost.flops, params: e.cost.params };
}
