// Resume a saved run from the list: its record and its last checkpoint are read from IndexedDB,
// the recorder is told that the next network continues that record, and the page's worker
// builds the run's network from the checkpoint with the run's settings. Training goes on from
// the checkpoint's step (the steps after it, lost with the page, are trained again).
import { resumeSavedRun } from '../actions.ts';
import { continueRun } from './recorder.ts';
import { getRun, getRunCheckpoint } from './runs.ts';

/** Resumes the run `id`; resolves to null, or one line saying why it cannot. */
export async function resumeRun(id: string): Promise<string | null> {
  let record, checkpoint;
  try {
    [record, checkpoint] = await Promise.all([getRun(id), getRunCheckpoint(id)]);
  } catch {
    return 'This run could not be read from the browser’s storage.';
  }
  if (!record) return 'This run is no longer in the list.';
  if (!checkpoint) return 'This run has no saved weights to resume from; open it to see what it learned.';
  continueRun(record, checkpoint.step);
  resumeSavedRun(record.settings, record.importedSpec ? record.seedSpec : null, checkpoint, {
    spec: record.spec,
    cycle: record.cycle,
    history: record.history,
  });
  return null;
}
