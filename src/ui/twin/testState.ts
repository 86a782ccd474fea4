// The twin's part of window.__studio.getState() (src/ui/testApi.ts): what the e2e test reads.
import type { AliveCounts, LatencySettings } from '../../morphnet/types.ts';
import type { Cost } from '../../protocol/messages.ts';
import { useTwin, type TwinPair, type TwinPhase, type TwinTarget } from '../../state/twin/store.ts';

export interface TwinTestRun {
  step: number;
  alive: AliveCounts;
  cost: Cost | null;
  /** Predicted latency (ns) on the device priced for when the twin started, or null. */
  latencyNs: number | null;
  /** What a latency run trains against; null for the other targets. */
  latency: LatencySettings | null;
  testAccuracy: number | null;
  /** Still training toward the step count (false when paused, done, stopped or failed). */
  running: boolean;
  error: string | null;
}

export interface TwinTestState {
  phase: TwinPhase;
  steps: number;
  /** The targets chosen for the next twin, and those of the twin shown. */
  pair: TwinPair;
  shown: TwinPair;
  /** The seed's conv layers in order (early first), once a twin has started. */
  layers: string[];
  flops: TwinTestRun;
  size: TwinTestRun;
  latency: TwinTestRun;
  message: string | null;
}

export function twinTestState(): TwinTestState {
  const s = useTwin.getState();
  const seed = s.runs[s.shown[0]].seedSpec ?? s.runs[s.shown[1]].seedSpec;
  const run = (t: TwinTarget): TwinTestRun => {
    const r = s.runs[t];
    return {
      step: r.step,
      alive: r.alive,
      cost: r.cost,
      latencyNs: r.latencyNs,
      latency: r.latency,
      testAccuracy: r.testAccuracy,
      running: s.phase === 'training' && r.step < s.steps && r.error === null,
      error: r.error,
    };
  };
  return {
    phase: s.phase,
    steps: s.steps,
    pair: s.pair,
    shown: s.shown,
    layers: seed?.layers.filter((l) => l.type === 'conv').map((l) => l.name) ?? [],
    flops: run('flops'),
    size: run('size'),
    latency: run('latency'),
    message: s.message,
  };
}
