// The twin's part of window.__studio.getState() (src/ui/testApi.ts): what the e2e test reads.
import type { AliveCounts } from '../../morphnet/types.ts';
import type { Cost } from '../../protocol/messages.ts';
import { useTwin, type TwinPhase, type TwinTarget } from '../../state/twin/store.ts';

export interface TwinTestRun {
  step: number;
  alive: AliveCounts;
  cost: Cost | null;
  testAccuracy: number | null;
  /** Still training toward the step count (false when paused, done, stopped or failed). */
  running: boolean;
  error: string | null;
}

export interface TwinTestState {
  phase: TwinPhase;
  steps: number;
  /** The seed's conv layers in order (early first), once a twin has started. */
  layers: string[];
  flops: TwinTestRun;
  size: TwinTestRun;
  message: string | null;
}

export function twinTestState(): TwinTestState {
  const s = useTwin.getState();
  const seed = s.runs.flops.seedSpec ?? s.runs.size.seedSpec;
  const run = (t: TwinTarget): TwinTestRun => {
    const r = s.runs[t];
    return {
      step: r.step,
      alive: r.alive,
      cost: r.cost,
      testAccuracy: r.testAccuracy,
      running: s.phase === 'training' && r.step < s.steps && r.error === null,
      error: r.error,
    };
  };
  return {
    phase: s.phase,
    steps: s.steps,
    layers: seed?.layers.filter((l) => l.type === 'conv').map((l) => l.name) ?? [],
    flops: run('flops'),
    size: run('size'),
    message: s.message,
  };
}
