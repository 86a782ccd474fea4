// The last good checkpoint of the run training now, kept in the worker's memory (issue 9): taken
// after the build, every CHECKPOINT_EVERY steps or CHECKPOINT_EVERY_MS of training, and on pause,
// always after a readback that was all finite. A diverged run goes back to it; every one is also
// posted, so the page can start a new worker from it and save it with the run.
import { divergenceCause } from '../engine/divergence.ts';
import type { Checkpoint, Metrics, Session } from '../engine/types.ts';
import { CHECKPOINT_EVERY, CHECKPOINT_EVERY_MS, type PostFn, type ResumeCycle } from '../protocol/messages.ts';

export class Checkpoints {
  private good: Checkpoint | null = null;
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
  }

  /** Whether a checkpoint is due after a finite readback at `step`. */
  due(step: number): boolean {
    if (!this.good) return true;
    const since = step - this.good.step;
    return since >= CHECKPOINT_EVERY || (since > 0 && this.now() - this.takenAt >= CHECKPOINT_EVERY_MS);
  }

  /** Takes one now (between steps) and posts it with the network it belongs to. */
  async take(session: Session, cycle: Omit<ResumeCycle, 'spec'>): Promise<void> {
    const cp = await session.checkpoint();
    this.good = cp;
    this.takenAt = this.now();
    // Structured clone copies it: the worker keeps its own for a divergence.
    this.post({ type: 'checkpoint', checkpoint: cp, cycle: { spec: session.spec, ...cycle } });
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
