// A train run's output directory: run.json (kept current while training), checkpoint.json (to
// resume from) and learned_structure/alive_<step>. One directory holds one run.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint, TensorData, TrainSettings } from '../engine/types.ts';
import { UsageError } from './errors.ts';
import { makeDir, readText, writeText } from './io.ts';

export const RUN_FILE = 'run.json';
export const CHECKPOINT_FILE = 'checkpoint.json';
export const STRUCTURE_DIR = 'learned_structure';
const CHECKPOINT_FORMAT = 'morphnet-checkpoint';
const CHECKPOINT_VERSION = 1;

const aliveFiles = (dir: string): string[] => {
  const sd = join(dir, STRUCTURE_DIR);
  return existsSync(sd) ? readdirSync(sd).filter((f) => /^alive_\d+$/.test(f)) : [];
};

/** The files of an earlier run in `dir`, by name (alive_* counted as one entry). */
function runFiles(dir: string): string[] {
  const found = [RUN_FILE, CHECKPOINT_FILE].filter((f) => existsSync(join(dir, f)));
  const alive = aliveFiles(dir).length;
  return alive > 0 ? [...found, `${alive} ${STRUCTURE_DIR}/alive_* file${alive === 1 ? '' : 's'}`] : found;
}

/**
 * Makes `dir` ready for a new run. A directory that holds another run's files is refused (two
 * runs' alive_<step> files would mix), unless `force`: then those files, and only those, go first.
 */
export function prepareRunDir(command: string, dir: string, force: boolean): void {
  const old = runFiles(dir);
  if (old.length > 0 && !force) {
    throw new UsageError(
      `${command}: "${dir}" already holds a run (${old.join(', ')}); continue it with --resume ${dir}, ` +
        'replace it with --force, or choose another --out',
    );
  }
  if (force) {
    for (const f of [RUN_FILE, CHECKPOINT_FILE]) rmSync(join(dir, f), { force: true });
    for (const f of aliveFiles(dir)) rmSync(join(dir, STRUCTURE_DIR, f), { force: true });
  }
  makeDir(command, join(dir, STRUCTURE_DIR), 'output directory');
}

/** Alive files past `step` (written after the checkpoint a run resumes from) are removed. */
export function dropAliveAfter(dir: string, step: number): void {
  for (const f of aliveFiles(dir)) if (Number(f.slice('alive_'.length)) > step) rmSync(join(dir, STRUCTURE_DIR, f));
}

export const writeJson = (path: string, value: unknown, what: string): void =>
  writeText(path, `${JSON.stringify(value, null, 2)}\n`, what);

const encodeTensors = (r: Record<string, TensorData>) =>
  Object.fromEntries(
    Object.entries(r).map(([k, t]) => [k, { shape: t.shape, f32: Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength).toString('base64') }]),
  );

/** The checkpoint as JSON, the values as base64 of little-endian float32 (every platform Node runs on). */
export function encodeCheckpoint(cp: Checkpoint): string {
  return `${JSON.stringify({
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    step: cp.step,
    settings: cp.settings,
    calibrationBatches: cp.calibrationBatches ?? 0,
    variables: encodeTensors(cp.variables),
    slots: encodeTensors(cp.slots),
  })}\n`;
}

export function readCheckpoint(command: string, dir: string): Checkpoint {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) throw new UsageError(`${command}: "${dir}" has no ${CHECKPOINT_FILE} to resume from`);
  const bad = (why: string) => new UsageError(`${command}: ${path}: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readText(path, 'checkpoint'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw bad('not valid JSON');
  }
  const o = raw as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o['format'] !== CHECKPOINT_FORMAT) throw bad(`not a ${CHECKPOINT_FORMAT} file`);
  if (o['version'] !== CHECKPOINT_VERSION) throw bad(`version ${String(o['version'])} is not ${CHECKPOINT_VERSION}`);
  const step = o['step'];
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw bad('step must be a non-negative integer');
  const tensors = (field: string): Record<string, TensorData> => {
    const t = o[field];
    if (typeof t !== 'object' || t === null) throw bad(`"${field}" is missing`);
    const out: Record<string, TensorData> = Object.create(null) as Record<string, TensorData>;
    for (const [k, v] of Object.entries(t as Record<string, { shape?: unknown; f32?: unknown }>)) {
      const shape = v?.shape;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || typeof v.f32 !== 'string') {
        throw bad(`${field} "${k}" needs a shape and base64 values`);
      }
      const bytes = Buffer.from(v.f32, 'base64');
      const size = (shape as number[]).reduce((a, b) => a * b, 1);
      if (bytes.byteLength !== size * 4) throw bad(`${field} "${k}" has ${bytes.byteLength / 4} values, its shape needs ${size}`);
      const values = new Float32Array(size);
      new Uint8Array(values.buffer).set(bytes);
      out[k] = { shape: shape as number[], values };
    }
    return out;
  };
  const calibration = o['calibrationBatches'];
  return {
    step,
    settings: o['settings'] as TrainSettings,
    variables: tensors('variables'),
    slots: tensors('slots'),
    calibrationBatches: typeof calibration === 'number' && Number.isInteger(calibration) && calibration >= 0 ? calibration : 0,
  };
}
