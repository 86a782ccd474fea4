// How often the worker reads metrics back and evaluates: sized from measured step times, so a
// fast GPU reads every few dozen steps and a software adapter every step, and evaluation never
// takes more than a tenth of the training time (on SwiftShader one can take a minute).
export interface PacingOptions {
  /** Aim for one metrics readback per this many milliseconds of training. */
  readIntervalMs: number;
  /** Evaluate at most this often while training. */
  evalIntervalMs: number;
  /** Test examples per evaluation. */
  evalLimit: number;
  /** On pause, evaluate only when it is expected to take less than this. */
  pauseEvalMs: number;
  /** Training batches that re-estimate batch-norm statistics before an evaluation. */
  evalCalibrate: number;
}

export const DEFAULT_PACING: PacingOptions = {
  readIntervalMs: 250,
  evalIntervalMs: 10_000,
  evalLimit: 400,
  pauseEvalMs: 5_000,
  evalCalibrate: 10,
};

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

export class Pacing {
  /** Steps per chunk, between two readbacks. */
  readEvery = 1;
  private stepTimes: number[] = [];
  private lastEval = 0;
  /** How long the last evaluation took, or null before the first one. */
  private evalMs: number | null = null;
  private evalStep = -1;

  constructor(
    readonly opts: PacingOptions,
    private readonly now: () => number,
  ) {}

  /** A new network: its step time is unknown; the first evaluation is an interval away. */
  restart(): void {
    this.readEvery = 1;
    this.stepTimes = [];
    this.evalStep = -1;
    this.lastEval = this.now();
  }

  /** A chunk of `steps` steps that began at `t0`, timed up to its readback. */
  recordChunk(t0: number, steps: number): void {
    const stepMs = (this.now() - t0) / steps;
    this.stepTimes = [...this.stepTimes.slice(-19), stepMs];
    this.readEvery = Math.max(1, Math.min(100, Math.round(this.opts.readIntervalMs / Math.max(stepMs, 0.1))));
  }

  get stepMs(): number {
    return median(this.stepTimes);
  }

  /** Measured, or guessed from the step time: a forward pass is about a third of a step, per example. */
  expectedEvalMs(batch: number): number {
    if (this.evalMs !== null) return this.evalMs;
    const forward = this.opts.evalLimit + this.opts.evalCalibrate * batch;
    return ((this.stepMs / Math.max(1, batch)) * forward) / 3;
  }

  evalDue(batch: number): boolean {
    // Until a few steps are timed there is no honest guess of what an evaluation costs.
    if (this.evalMs === null && this.stepTimes.length < 3) return false;
    const gap = Math.max(this.opts.evalIntervalMs, 10 * this.expectedEvalMs(batch));
    return this.now() - this.lastEval >= gap;
  }

  /** Worth evaluating on pause: something new to measure, and cheap enough to wait for. */
  evalOnPause(step: number, batch: number): boolean {
    return step > 0 && step !== this.evalStep && this.expectedEvalMs(batch) <= this.opts.pauseEvalMs;
  }

  recordEval(t0: number, step: number): void {
    this.lastEval = this.now();
    this.evalMs = this.lastEval - t0;
    this.evalStep = step;
  }
}
