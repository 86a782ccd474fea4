// Reads what `morphnet train` and `morphnet sweep` wrote, checking the fields this report uses,
// so a stale or foreign file gives one line naming it instead of a wrong table.
import { readFileSync } from 'node:fs';
import { SWEEP_FORMAT, type SweepFile } from '../../src/morphnet/sweep.ts';
import { validateSpec } from '../../src/morphnet/spec.ts';
import type { AliveCounts, NetworkSpec, Target } from '../../src/morphnet/types.ts';

/** The part of `run.json` (src/cli/train.ts) the report reads. */
export interface TrainRun {
  settings: {
    spec: string;
    dataset: string;
    target: Target;
    strength: number;
    threshold: number;
    lr: number;
    batch: number;
    seed: number;
    steps: number;
    backend: string;
    /** What trained it: tfjs (run.json files from before --engine say nothing: tfjs) or pytorch. */
    engine: 'tfjs' | 'pytorch';
  };
  spec: NetworkSpec;
  seed: { flops: number; params: number };
  final: {
    step: number;
    alive: AliveCounts;
    flops: number;
    params: number;
    testAccuracy: number;
    testExamples: number;
    seconds: number;
  };
}

export class ResultsInputError extends Error {}

type Json = Record<string, unknown>;

function object(x: unknown, where: string): Json {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    throw new ResultsInputError(`${where}: expected an object`);
  return x as Json;
}
function num(o: Json, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ResultsInputError(`${where}.${key}: expected a number`);
  return v;
}
function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ResultsInputError(`${where}.${key}: expected a string`);
  return v;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ResultsInputError(`${file}: cannot read it (run without --from to produce it)`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ResultsInputError(`${file}: not JSON (${(e as Error).message})`);
  }
}

export function parseTrainRun(data: unknown, file: string): TrainRun {
  const o = object(data, file);
  if (o['command'] !== 'train')
    throw new ResultsInputError(`${file}: not a run.json written by morphnet train`);
  const s = object(o['settings'], `${file}: settings`);
  const target = str(s, 'target', `${file}: settings`);
  if (target !== 'flops' && target !== 'size')
    throw new ResultsInputError(`${file}: settings.target: expected flops or size`);
  const engine = s['engine'] ?? 'tfjs';
  if (engine !== 'tfjs' && engine !== 'pytorch')
    throw new ResultsInputError(`${file}: settings.engine: expected tfjs or pytorch`);
  const spec = validateSpec(o['spec'], `${file}: spec`);
  const seed = object(o['seed'], `${file}: seed`);
  const f = object(o['final'], `${file}: final`);
  const alive = object(f['alive'], `${file}: final.alive`);
  const counts: AliveCounts = {};
  for (const [k, v] of Object.entries(alive)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new ResultsInputError(`${file}: final.alive["${k}"]: expected a count`);
    }
    counts[k] = v;
  }
  const w = `${file}: final`;
  return {
    settings: {
      spec: str(s, 'spec', `${file}: settings`),
      dataset: str(s, 'dataset', `${file}: settings`),
      target,
      strength: num(s, 'strength', `${file}: settings`),
      threshold: num(s, 'threshold', `${file}: settings`),
      lr: num(s, 'lr', `${file}: settings`),
      batch: num(s, 'batch', `${file}: settings`),
      seed: num(s, 'seed', `${file}: settings`),
      steps: num(s, 'steps', `${file}: settings`),
      backend: str(s, 'backend', `${file}: settings`),
      engine,
    },
    spec,
    seed: { flops: num(seed, 'flops', `${file}: seed`), params: num(seed, 'params', `${file}: seed`) },
    final: {
      step: num(f, 'step', w),
      alive: counts,
      flops: num(f, 'flops', w),
      params: num(f, 'params', w),
      testAccuracy: num(f, 'testAccuracy', w),
      testExamples: num(f, 'testExamples', w),
      seconds: num(f, 'seconds', w),
    },
  };
}

export function readTrainRun(file: string): TrainRun {
  return parseTrainRun(readJson(file), file);
}

/** The sweep file is checked only as far as the trade-off tables read it. */
export function readSweep(file: string): SweepFile {
  const o = object(readJson(file), file);
  if (o['format'] !== SWEEP_FORMAT) throw new ResultsInputError(`${file}: not a morphnet sweep file`);
  const points = o['points'];
  if (!Array.isArray(points)) throw new ResultsInputError(`${file}: points: expected a list`);
  points.forEach((p, i) => {
    const w = `${file}: points[${i}]`;
    const q = object(p, w);
    str(q, 'family', w);
    str(q, 'label', w);
    num(q, 'flops', w);
    num(q, 'params', w);
    num(q, 'testAccuracy', w);
  });
  return o as unknown as SweepFile;
}
