// Reads a run file someone imports. Pure: untrusted JSON in, a RunRecord or one RunFileError
// line out, naming the file and the field that is wrong, so a person can fix the file. Every
// part is checked against the run's own networks (validateSpec, then the cost model) before any
// of it is stored or drawn; the specs come back normalized, and no field outside the format is
// kept (so a `__proto__` key in the file is refused, never carried along).
import { isValidSetting, SETTING_KEYS } from '../url.ts';
import { Checker, isObj, RunFileError, shown, type CheckedSpec } from './checker.ts';
import { checkLatency } from './latency.ts';
import { RUN_FORMAT, RUN_VERSION, type RunFault, type RunRecord } from './record.ts';

export { RunFileError } from './checker.ts';

/** Bigger than any run the page writes (a long run's curves are a few hundred kB). */
export const MAX_RUN_BYTES = 20 * 1024 * 1024;
/** Ids are the page's own (`run-…`); a name the list's rename field takes 120 characters of. */
export const MAX_RUN_ID_CHARS = 100;
export const MAX_RUN_NAME_CHARS = 200;
const MAX_FAULT_CHARS = 500;

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

/** Fields a run may lack (added to the format after version 1 without changing its meaning). */
const OPTIONAL_FIELDS = ['faults', 'latency'] as const;
const FAULT_KINDS = ['diverged', 'device-lost', 'crashed'] as const satisfies readonly RunFault['kind'][];

/** The readings of each metrics curve: a loss is any finite number, an accuracy a fraction. */
function points(
  c: Checker,
  v: unknown,
  field: string,
  lastCycle: number,
  readings: Record<string, Reading>,
): void {
  const keys = ['cycle', 'step', ...Object.keys(readings)];
  c.arr(v, field).forEach((p, i) => {
    const f = `${field}[${i}]`;
    const o = c.fields(p, f, keys, 'a metrics point');
    const cycle = c.count(o['cycle'], `${f}.cycle`);
    if (cycle > lastCycle) c.fail(`${f}.cycle`, `is ${cycle}, after the run's last cycle ${lastCycle}`);
    c.count(o['step'], `${f}.step`);
    for (const [r, kind] of Object.entries(readings)) c.reading(o, r, f, kind);
  });
}
type Reading = Parameters<Checker['reading']>[3];

/**
 * Checks an untrusted value (parsed JSON) against RunRecord version 1; `source` names it (the
 * file name) in the one-line RunFileError. Returns the value typed, its specs normalized.
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
  const known: readonly string[] = [...TOP_FIELDS, ...OPTIONAL_FIELDS];
  for (const k of Object.keys(value)) if (!known.includes(k)) c.fail(k, 'is not a field of a run');
  for (const k of TOP_FIELDS) if (!Object.hasOwn(value, k)) c.fail(k, 'is missing');
  c.str(value['id'], 'id', MAX_RUN_ID_CHARS, true);
  c.str(value['name'], 'name', MAX_RUN_NAME_CHARS);
  c.bool(value['pinned'], 'pinned');
  c.time(value['createdAt'], 'createdAt');
  c.time(value['updatedAt'], 'updatedAt');
  c.oneOf(value['origin'], ['studio', 'twin'], 'origin');
  if (value['group'] !== null) c.str(value['group'], 'group', MAX_RUN_ID_CHARS, true);

  const settings = c.fields(value['settings'], 'settings', SETTING_KEYS, 'the settings');
  for (const k of SETTING_KEYS) {
    if (!isValidSetting(k, settings[k]))
      c.fail(`settings.${k}`, `is not a valid value: ${shown(settings[k])}`);
  }
  c.bool(value['importedSpec'], 'importedSpec');
  const seed = c.spec(value['seedSpec'], 'seedSpec');
  const spec = c.spec(value['spec'], 'spec');
  value['seedSpec'] = seed.spec;
  value['spec'] = spec.spec;
  c.cost(value['seedCost'], 'seedCost', seed);
  c.count(value['step'], 'step');
  const cycle = c.count(value['cycle'], 'cycle');

  const specs: CheckedSpec[] = [seed, spec];
  c.arr(value['history'], 'history').forEach((h, i) => {
    const f = `history[${i}]`;
    const o = c.fields(
      h,
      f,
      ['cycle', 'spec', 'learned', 'steps', 'testAccuracy', 'cost'],
      'a finished cycle',
    );
    for (const k of ['cycle', 'spec', 'learned', 'steps', 'testAccuracy', 'cost']) {
      if (!Object.hasOwn(o, k)) c.fail(`${f}.${k}`, 'is missing');
    }
    c.count(o['cycle'], `${f}.cycle`);
    const cycleSpec = c.spec(o['spec'], `${f}.spec`);
    o['spec'] = cycleSpec.spec;
    specs.push(cycleSpec);
    c.alive(o['learned'], `${f}.learned`, cycleSpec);
    c.count(o['steps'], `${f}.steps`);
    c.fraction(o['testAccuracy'], `${f}.testAccuracy`);
    c.cost(o['cost'], `${f}.cost`, cycleSpec);
  });

  // A cost readback belongs to one cycle's network; none costs more than the largest of them.
  const most = (k: 'flops' | 'params') => ({ max: Math.max(...specs.map((s) => s.full[k])) });
  const metrics = c.fields(value['metrics'], 'metrics', ['curve', 'costCurve', 'testCurve'], 'the metrics');
  points(c, metrics['curve'], 'metrics.curve', cycle, {
    taskLoss: 'any',
    regLoss: 'any',
    trainAccuracy: 'fraction',
  });
  points(c, metrics['costCurve'], 'metrics.costCurve', cycle, {
    flops: most('flops'),
    params: most('params'),
  });
  points(c, metrics['testCurve'], 'metrics.testCurve', cycle, { accuracy: 'fraction' });

  c.alive(value['alive'], 'alive', spec);
  if (value['cost'] !== null) c.cost(value['cost'], 'cost', spec);
  c.fraction(value['testAccuracy'], 'testAccuracy');
  c.oneOf(value['backend'], ['webgpu', 'webgl', 'wasm', 'cpu', null], 'backend');
  if (value['faults'] !== undefined) {
    c.arr(value['faults'], 'faults').forEach((v, i) => {
      const f = `faults[${i}]`;
      const o = c.fields(v, f, ['kind', 'step', 'restored', 'message'], 'a fault');
      for (const k of ['kind', 'step', 'restored', 'message'])
        if (!Object.hasOwn(o, k)) c.fail(`${f}.${k}`, 'is missing');
      c.oneOf(o['kind'], FAULT_KINDS, `${f}.kind`);
      const step = c.count(o['step'], `${f}.step`);
      if (o['restored'] !== null && c.count(o['restored'], `${f}.restored`) > step) {
        c.fail(`${f}.restored`, `is ${shown(o['restored'])}, after the fault's step ${step}`);
      }
      c.str(o['message'], `${f}.message`, MAX_FAULT_CHARS);
    });
  }
  if (value['latency'] !== undefined) checkLatency(c, value['latency'], 'latency');
  return value as unknown as RunRecord;
}

/** Parses a run file's text (`source` is the file name) and validates it. */
export function parseRunFile(text: string, source = 'run'): RunRecord {
  if (text.length > MAX_RUN_BYTES) throw new RunFileError(`${source}: a run file can be at most 20 MB`);
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
