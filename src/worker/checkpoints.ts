// The last good checkpoint of the run training now, kept in the worker's memory (issue 9): taken
// after the build, every CHECKPOINT_EVERY steps or CHECKPOINT_EVERY_MS of training, and on pause,
// always after a readback that was all finite. One taken while training counts as good only once
// the next readback is finite too: a step can leave the weights exploding but still finite, and
// the one after it NaN. A diverged run goes back to the last good one; every good one is posted,
// so the page can start a new worker from it and save it with the run.
import { divergenceCause } from '../engine/divergence.ts';
import type { Checkpoint, Metrics, Session } from '../engine/types.ts';
import { CHECKPOINT_EVERY, CHECKPOINT_EVERY_MS, type PostFn, type ResumeCycle } from '../protocol/messages.ts';

export class Checkpoints {
  private good: Checkpoint | null = null;
  private candidate: { checkpoint: Checkpoint; cycle: ResumeCycle } | null = null;
  private takenAt = 0;

  constructor(
    private readonly post: PostFn,
    private readonly now: () => number,
  ) {}

  get last(): Checkpoint | null {
    return this.good;
  }

  drop(): void {
    this.good = null;
    this.candidate = null;
  }

  /** Whether a checkpoint is due after a finite readback at `step`. */
  due(step: number): boolean {
    const last = this.candidate?.checkpoint ?? this.good;
    if (!last) return true;
    const since = step - last.step;
    return since >= CHECKPOINT_EVERY || (since > 0 && this.now() - this.takenAt >= CHECKPOINT_EVERY_MS);
  }

  /**
   * Takes one now (between steps). `confirmed`: good at once (after a build, on pause); otherwise
   * it waits for confirm(), the next finite training readback.
   */
  async take(session: Session, cycle: Omit<ResumeCycle, 'spec'>, confirmed: boolean): Promise<void> {
    const taken = { checkpoint: await session.checkpoint(), cycle: { spec: session.spec, ...cycle } };
    this.takenAt = this.now();
    this.candidate = null;
    if (confirmed) this.accept(taken);
    else this.candidate = taken;
  }

  /** A finite training readback since the candidate was taken: it is good. */
  confirm(): void {
    if (this.candidate) this.accept(this.candidate);
    this.candidate = null;
  }

  private accept(taken: { checkpoint: Checkpoint; cycle: ResumeCycle }) {
    this.good = taken.checkpoint;
    // Structured clone copies it: the worker keeps its own for a divergence.
    this.post({ type: 'checkpoint', ...taken });
  }
}

/**
 * The user's words for a diverged readback, or null when every value is finite. `restored` is the
 * checkpoint's step the run went back to.
 */
export function divergedMessage(m: Metrics, restored: number | null): string | null {
  const c = divergenceCause(m);
  if (c === null) return null;
  const back = restored === null ? 'Training paused.' : `Went back to step ${restored} and paused.`;
  return (
    `Training diverged at step ${m.step} (the ${c.what} became ${c.value}). ${back} ` +
    'Try a lower learning rate or strength, then press Train.'
  );
}
