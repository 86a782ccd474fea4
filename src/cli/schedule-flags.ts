// `--schedule` and `--warmup` (train and sweep): the learning rate's schedule over a run's steps.
import { CONSTANT_SCHEDULE, type Schedule, type ScheduleKind } from '../morphnet/schedule.ts';
import { UsageError } from './errors.ts';
import { shown } from './numbers.ts';
import { positiveInt } from './options.ts';

const KINDS: readonly ScheduleKind[] = ['constant', 'cosine'];

/** Both flags checked; the warm-up may not outlast the run it warms up. */
export function parseSchedule(
  command: string,
  kind: string | undefined,
  warmup: string | undefined,
  steps: number,
): Schedule {
  if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`${command}: --schedule must be constant or cosine, got ${shown(kind)}`);
  }
  const w = positiveInt(command, 'warmup', warmup, CONSTANT_SCHEDULE.warmup, 0);
  if (w > steps) throw new UsageError(`${command}: --warmup ${w} is longer than the ${steps} training steps`);
  return { kind: (kind as ScheduleKind | undefined) ?? CONSTANT_SCHEDULE.kind, warmup: w };
}
