// Test accuracy in the worker: when it is worth measuring (the pacing's judgement) and the
// measurement itself, with its progress and `evaluation` events. Split from handler.ts, which
// decides when a request or a chunk asks for one.
import type { Session } from '../engine/types.ts';
import type { PostFn } from '../protocol/messages.ts';
import type { Pacing } from './pacing.ts';

export class Evaluation {
  /** The last measured accuracy of the network training now; null since its build. */
  accuracy: number | null = null;

  constructor(
    private readonly pacing: Pacing,
    private readonly post: PostFn,
    private readonly now: () => number,
  ) {}

  /** While training: time for the periodic measurement. */
  due(batch: number): boolean {
    return this.pacing.evalDue(batch);
  }

  /** On pause: the last measurement is older than `step` and a new one is cheap. */
  stale(step: number, batch: number): boolean {
    return this.pacing.evalOnPause(step, batch);
  }

  async measure(session: Session): Promise<void> {
    this.post({
      type: 'progress',
      task: 'evaluate',
      label: 'Measuring accuracy on the test set',
      fraction: null,
      done: false,
    });
    const t0 = this.now();
    try {
      // Precise BN: early in a run the moving averages lag the fast-changing network, and test
      // accuracy read through them is far below the truth (the engine's tests show it).
      this.accuracy = await session.evaluate(this.pacing.opts.evalLimit, {
        calibrate: this.pacing.opts.evalCalibrate,
      });
    } finally {
      this.post({ type: 'progress', task: 'evaluate', label: '', fraction: 1, done: true });
    }
    this.pacing.recordEval(t0, session.step);
    this.post({ type: 'evaluation', step: session.step, testAccuracy: this.accuracy });
  }
}
