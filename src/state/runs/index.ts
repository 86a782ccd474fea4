// Saved runs: the record format, its validator, the IndexedDB repository and the page's actions.
export * from './record.ts';
export { RunFileError, validateRunRecord, parseRunFile, formatRunFile, MAX_RUN_BYTES } from './validate.ts';
export { createRunRepository, StorageFullError, type RunRepository } from './repository.ts';
export {
  DB_NAME,
  DB_VERSION,
  RUNS_STORE,
  WEIGHTS_STORE,
  openStudioDb,
  type StudioDB,
  type StoredWeights,
} from './db.ts';
export {
  useRuns,
  type RunsState,
  loadRuns,
  saveRun,
  saveRunNow,
  getRun,
  getRunCheckpoint,
  STORAGE_FULL_MESSAGE,
  renameRun,
  pinRun,
  deleteRun,
  restoreRun,
  importRunFile,
  setCurrentRun,
  setRunRepository,
} from './runs.ts';
export { metricsCsv, METRICS_CSV_COLUMNS } from './csv.ts';
export { resumeRun } from './resume.ts';
export {
  startRunRecorder,
  continueRun,
  currentRunSnapshot,
  snapshotRun,
  SAVE_EVERY_MS,
  type Recorder,
} from './recorder.ts';
