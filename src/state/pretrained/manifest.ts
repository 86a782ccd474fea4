// public/pretrained/index.json: which trained starting points ship, each file's SHA-256 and size,
// and its test accuracy as measured by `npm run assets` (scripts/assets/pretrained.ts). The page
// offers "trained on <dataset>" only where this lists a file for the chosen seed.
import type { DatasetName } from '../../engine/types.ts';

export const INDEX_FORMAT = 'morphnet-pretrained-index';
export const INDEX_VERSION = 1;

/** What a network can start from: fresh seeded weights, or trained on one of the datasets. */
export type StartChoice = 'untrained' | 'mnist' | 'fashion';
export const START_CHOICES: readonly StartChoice[] = ['untrained', 'mnist', 'fashion'];
export const TRAINED_ON: Record<Exclude<StartChoice, 'untrained'>, string> = {
  mnist: 'MNIST',
  fashion: 'Fashion-MNIST',
};

export interface PretrainedEntry {
  net: string;
  dataset: Extract<DatasetName, 'mnist' | 'fashion'>;
  /** Beside index.json. */
  file: string;
  bytes: number;
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
  /** Accuracy of the shipped (float16) weights on the first `testExamples` test images, in tfjs. */
  testAccuracy: number;
  testExamples: number;
  /** The same on the first `checkExamples`, which the unit test recomputes (a shorter run). */
  checkAccuracy: number;
  checkExamples: number;
}

export interface PretrainedIndex {
  format: typeof INDEX_FORMAT;
  version: typeof INDEX_VERSION;
  files: PretrainedEntry[];
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const fraction = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 1;
const count = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x > 0;

function entryProblem(e: unknown): string | null {
  if (!isRecord(e)) return 'an entry is not an object';
  if (typeof e.net !== 'string' || (e.dataset !== 'mnist' && e.dataset !== 'fashion')) return 'an entry names no network or dataset';
  // A file name only: the index never points outside its own folder.
  if (typeof e.file !== 'string' || !/^[a-z0-9-]+\.bin$/.test(e.file)) return `${String(e.net)}: a bad file name`;
  if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) return `${e.file}: no SHA-256`;
  if (!count(e.bytes) || !count(e.testExamples) || !count(e.checkExamples)) return `${e.file}: a bad size or count`;
  if (!fraction(e.testAccuracy) || !fraction(e.checkAccuracy)) return `${e.file}: a bad accuracy`;
  return null;
}

/** The index, or throws one plain line saying what is wrong with it. */
export function parseIndex(text: string): PretrainedIndex {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    throw new Error('the list of trained weights is not JSON');
  }
  if (!isRecord(x) || x.format !== INDEX_FORMAT || x.version !== INDEX_VERSION || !Array.isArray(x.files))
    throw new Error('the list of trained weights is not one this page reads');
  for (const e of x.files) {
    const problem = entryProblem(e);
    if (problem !== null) throw new Error(`the list of trained weights is damaged (${problem})`);
  }
  return x as unknown as PretrainedIndex;
}

/** The file of `net` trained on `dataset`, if one ships. */
export function entryFor(index: PretrainedIndex | null, net: string, dataset: StartChoice): PretrainedEntry | null {
  if (index === null || dataset === 'untrained') return null;
  return index.files.find((e) => e.net === net && e.dataset === dataset) ?? null;
}

/** The choices the control offers for `net`: untrained, then each dataset a file ships for. */
export function choicesFor(index: PretrainedIndex | null, net: string | null): StartChoice[] {
  if (net === null) return ['untrained'];
  return START_CHOICES.filter((c) => c === 'untrained' || entryFor(index, net, c) !== null);
}

export function choiceLabel(c: StartChoice): string {
  return c === 'untrained' ? 'untrained' : `trained on ${TRAINED_ON[c]}`;
}
