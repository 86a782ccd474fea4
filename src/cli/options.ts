// Flags that the commands that train (train, sweep) share: numbers, lists, the dataset, the
// backend, a seed that must fit the dataset. Every message names the command.
import { SETTING_LIMITS } from '../morphnet/limits.ts';
import { isSeedName, withInput } from '../morphnet/seeds.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { NodeBackendName } from '../engine/backend-node.ts';
import { DataError } from '../engine/data/format.ts';
import { loadDatasetFromDisk } from '../engine/data/node.ts';
import type { Dataset, DatasetName } from '../engine/types.ts';
import { required } from './args.ts';
import { UsageError } from './errors.ts';
import { integer, parseDecimal, rangedNumber, shown } from './numbers.ts';

export function positiveInt(command: string, name: string, value: string | undefined, fallback: number, min = 1): number {
  return value === undefined ? fallback : integer(command, name, value, min);
}

export function nonNegative(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = parseDecimal(value);
  if (n === null || n < 0) throw new UsageError(`${command}: --${name} must be a number ≥ 0, got ${shown(value)}`);
  return n;
}

/** The engine takes any 32-bit unsigned seed; a larger one would wrap to another run's seed. */
export const SEED_MAX = 2 ** 32 - 1;

export const parseSeed = (command: string, value: string | undefined, fallback: number): number =>
  value === undefined ? fallback : integer(command, 'seed', value, 0, SEED_MAX);

const PAGE = "the page's range";
export const parseLr = (command: string, value: string | undefined, fallback: number): number =>
  value === undefined ? fallback : rangedNumber(command, 'lr', value, { ...SETTING_LIMITS.lr, why: PAGE });
export const parseThreshold = (command: string, value: string | undefined, fallback: number): number =>
  value === undefined ? fallback : rangedNumber(command, 'threshold', value, { ...SETTING_LIMITS.threshold, why: PAGE });
/** 0 (no regularizer) or a strength in the page's range. */
export function parseStrength(command: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (parseDecimal(value) === 0) return 0;
  return rangedNumber(command, 'strength', value, { ...SETTING_LIMITS.strength, why: `${PAGE}; or 0` });
}

/** "a,b,c": numbers that each pass `ok` (whose wording goes in the message), in the order given. */
export function numberList(
  command: string,
  name: string,
  value: string | undefined,
  fallback: number[],
  ok: [test: (n: number) => boolean, wording: string],
): number[] {
  if (value === undefined) return fallback;
  if (value.trim() === '') return [];
  return value.split(',').map((part) => {
    const n = parseDecimal(part.trim());
    if (n === null || !ok[0](n)) {
      throw new UsageError(`${command}: --${name} takes a comma-separated list of ${ok[1]}, got ${shown(part.trim())}`);
    }
    return n;
  });
}

export function parseDataset(command: string, value: string | undefined): DatasetName {
  const v = required(command, 'dataset', value);
  if (v !== 'mnist' && v !== 'fashion' && v !== 'shapes') {
    throw new UsageError(`${command}: --dataset must be mnist, fashion or shapes, got "${v}"`);
  }
  return v;
}

export function parseBackend(command: string, value: string | undefined, fallback: NodeBackendName): NodeBackendName {
  if (value === undefined) return fallback;
  if (value !== 'cpu' && value !== 'wasm' && value !== 'auto') {
    throw new UsageError(`${command}: --backend must be cpu, wasm or auto, got "${value}"`);
  }
  return value;
}

export async function loadData(command: string, name: DatasetName): Promise<Dataset> {
  try {
    return await loadDatasetFromDisk(name);
  } catch (e) {
    if (e instanceof DataError) throw new UsageError(`${command}: ${e.message}`);
    throw e;
  }
}

/** A built-in seed takes the dataset's shape; a spec file must already fit it. */
export function fitSpec(command: string, spec: NetworkSpec, name: string, data: Dataset): NetworkSpec {
  if (isSeedName(name)) return withInput(spec, { height: data.height, width: data.width, channels: data.channels }, data.classes);
  const { height, width, channels } = spec.input;
  if (height !== data.height || width !== data.width || channels !== data.channels || spec.classes !== data.classes) {
    throw new UsageError(
      `${command}: ${name} takes ${height}×${width}×${channels} images in ${spec.classes} classes; ` +
        `${data.name} has ${data.height}×${data.width}×${data.channels} in ${data.classes}`,
    );
  }
  return spec;
}
