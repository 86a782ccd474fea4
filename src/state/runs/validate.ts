// Reads a run file someone imports. Pure: untrusted JSON in, a RunRecord or one RunFileError
// line out, naming the file and the field that is wrong, so a person can fix the file.
import { SpecError, validateSpec } from '../../morphnet/spec.ts';
import { isValidSetting, SETTING_KEYS } from '../url.ts';
import { RUN_FORMAT, RUN_VERSION, type RunRecord } from './record.ts';

/** Bigger than any run the page writes (a long run's curves are a few hundred kB). */
export const MAX_RUN_BYTES = 20 * 1024 * 1024;

export class RunFileError extends Error {
  override name = 'RunFileError';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const TOP_FIELDS = [
  'format',
  'version',
  'id',
  'name',
  'pinned',
  'createdAt',
  'updatedAt',
  'origin',
  'group',
  'settings',
  'importedSpec',
  'seedSpec',
  'spec',
  'seedCost',
  'step',
  'cycle',
  'history',
  'metrics',
  'alive',
  'cost',
  'testAccuracy',
  'backend',
] as const satisfies readonly (keyof RunRecord)[];

class Checker {
  constructor(readonly source: string) {}

  fail(field: string, problem: string): never {
    throw new RunFileError(`${this.source}: field "${field}" ${problem}`);
  }
  obj(v: unknown, field: string): Obj {
    if (!isObj(v)) this.fail(field, `must be an object, got ${shown(v)}`);
    return v;
  }
  arr(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, `must be an array, got ${shown(v)}`);
    return v;
  }
  str(v: unknown, field: string, nonEmpty = false): string {
    if (typeof v !== 'string' || (nonEmpty && v === '')) {
      this.fail(field, `must be a${nonEmpty ? ' non-empty' : ''} string, got ${shown(v)}`);
    }
    return v;
  }
  bool(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, got ${shown(v)}`);
    return v;
  }
  count(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      this.fail(field, `must be a whole number ≥ 0, got ${shown(v)}`);
    }
    return v;
  }
  nonNegative(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      this.fail(field, `must be a number ≥ 0, got ${shown(v)}`);
    }
    return v;
  }
  /** A metric reading; JSON writes a NaN (a diverged loss) as null, so null reads as NaN. */
  reading(o: Obj, key: string, field: string): void {
    const v = o[key];
    if (v === null) o[key] = NaN;
    else if (typeof v !== 'number') this.fail(`${field}.${key}`, `must be a number, got ${shown(v)}`);
  }
  fraction(v: unknown, field: string): number | null {
    if (v === null) return null;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      this.fail(field, `must be a fraction from 0 to 1 or null, got ${shown(v)}`);
    }
    return v;
  }
  time(v: unknown, field: string): void {
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) {
      this.fail(field, `must be a date and time (ISO 8601), got ${shown(v)}`);
    }
  }
  oneOf(v: unknown, list: readonly unknown[], field: string): void {
    if (!list.includes(v))
      this.fail(field, `must be one of ${list.map((x) => shown(x)).join(', ')}, got ${shown(v)}`);
  }
  spec(v: unknown, field: string): void {
    try {
      validateSpec(v, field);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      const where =
        (e.layer === null ? '' : `layer ${e.layer}: `) + (e.field === null ? '' : `field "${e.field}": `);
      this.fail(field, `is not a valid network spec: ${where}${e.detail}`);
    }
  }
  cost(v: unknown, field: string): void {
    const o = this.obj(v, field);
    this.nonNegative(o['flops'], `${field}.flops`);
    this.nonNegative(o['params'], `${field}.params`);
  }
  alive(v: unknown, field: string): void {
    const o = this.obj(v, field);
    for (const [k, n] of Object.entries(o)) this.count(n, `${field}.${k}`);
  }
  points(v: unknown, field: string, readings: readonly string[]): void {
    this.arr(v, field).forEach((p, i) => {
      const f = `${field}[${i}]`;
      const o = this.obj(p, f);
      this.count(o['cycle'], `${f}.cycle`);
      this.count(o['step'], `${f}.step`);
      for (const r of readings) this.reading(o, r, f);
    });
  }
}

/**
 * Checks an untrusted value (parsed JSON) against RunRecord version 1; `source` names it (the
 * file name) in the one-line RunFileError. Returns the value itself, typed.
 */
export function validateRunRecord(value: unknown, source = 'run'): RunRecord {
  const c = new Checker(source);
  if (!isObj(value)) throw new RunFileError(`${source}: must be a JSON object (a MorphNet Studio run)`);
  if (value['format'] !== RUN_FORMAT) {
    c.fail(
      'format',
      `must be "${RUN_FORMAT}" (is this a MorphNet Studio run file?), got ${shown(value['format'])}`,
    );
  }
  if (value['version'] !== RUN_VERSION) {
    c.fail('version', `must be ${RUN_VERSION} (the version this page reads), got ${shown(value['version'])}`);
  }
  for (const k of Object.keys(value)) {
    if (!(TOP_FIELDS as readonly string[]).includes(k)) c.fail(k, 'is not a field of a run');
  }
  for (const k of TOP_FIELDS) if (!(k in value)) c.fail(k, 'is missing');
  c.str(value['id'], 'id', true);
  c.str(value['name'], 'name');
  c.bool(value['pinned'], 'pinned');
  c.time(value['createdAt'], 'createdAt');
  c.time(value['updatedAt'], 'updatedAt');
  c.oneOf(value['origin'], ['studio', 'twin'], 'origin');
  if (value['group'] !== null) c.str(value['group'], 'group', true);

  const settings = c.obj(value['settings'], 'settings');
  for (const k of Object.keys(settings)) {
    if (!(SETTING_KEYS as readonly string[]).includes(k)) c.fail(`settings.${k}`, 'is not a setting');
  }
  for (const k of SETTING_KEYS) {
    if (!isValidSetting(k, settings[k]))
      c.fail(`settings.${k}`, `is not a valid value: ${shown(settings[k])}`);
  }
  c.bool(value['importedSpec'], 'importedSpec');
  c.spec(value['seedSpec'], 'seedSpec');
  c.spec(value['spec'], 'spec');
  c.cost(value['seedCost'], 'seedCost');
  c.count(value['step'], 'step');
  c.count(value['cycle'], 'cycle');

  c.arr(value['history'], 'history').forEach((h, i) => {
    const f = `history[${i}]`;
    const o = c.obj(h, f);
    c.count(o['cycle'], `${f}.cycle`);
    c.spec(o['spec'], `${f}.spec`);
    c.alive(o['learned'], `${f}.learned`);
    c.count(o['steps'], `${f}.steps`);
    c.fraction(o['testAccuracy'], `${f}.testAccuracy`);
    c.cost(o['cost'], `${f}.cost`);
  });

  const metrics = c.obj(value['metrics'], 'metrics');
  c.points(metrics['curve'], 'metrics.curve', ['taskLoss', 'regLoss', 'trainAccuracy']);
  c.points(metrics['costCurve'], 'metrics.costCurve', ['flops', 'params']);
  c.points(metrics['testCurve'], 'metrics.testCurve', ['accuracy']);

  c.alive(value['alive'], 'alive');
  if (value['cost'] !== null) c.cost(value['cost'], 'cost');
  c.fraction(value['testAccuracy'], 'testAccuracy');
  c.oneOf(value['backend'], ['webgpu', 'webgl', 'cpu', null], 'backend');
  return value as unknown as RunRecord;
}

/** Parses a run file's text (`source` is the file name) and validates it. */
export function parseRunFile(text: string, source = 'run'): RunRecord {
  if (text.length > MAX_RUN_BYTES) throw new RunFileError(`${source}: file is over the 20 MB limit`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    throw new RunFileError(`${source}: not valid JSON: ${msg}`);
  }
  return validateRunRecord(value, source);
}

/** The file text for a run: the record itself, indented, so an import gives the same record. */
export function formatRunFile(record: RunRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
