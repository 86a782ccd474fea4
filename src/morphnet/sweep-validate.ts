// Reading a sweep file someone hands the page (issue 4, "Headless"): JSON text in, a checked
// SweepFile out. A file can come from any version of the CLI or from a text editor, so every field
// the page draws or computes with is checked, and a problem is one line naming the file and the
// field (`points[3] (×1): testAccuracy: expected a number in [0, 1], got 1.7`), never a stack
// trace. Costs and widths are checked against the cost model of the point's own spec (a file's
// 1e308 FLOPs would wreck the chart's axis), names are capped and free of control characters, and
// only the format's fields are copied out (a `__proto__` key in the file goes nowhere).
import { seedWidths } from './baselines.ts';
import { networkCost } from './cost.ts';
import { SETTING_LIMITS as L } from './limits.ts';
import { readLatencyNs, readLatencySettings } from './sweep-latency.ts';
import { Reader, SweepError } from './sweep-reader.ts';
import { SWEEP_FORMAT, SWEEP_VERSION } from './sweep.ts';
import type { SeedResult, SweepFamily, SweepFile, SweepPoint, SweepPointSettings } from './sweep.ts';
import type { LatencySettings, NetworkSpec, Target } from './types.ts';

/** A sweep of a few dozen points is well under 1 MB; 8 MB leaves room and refuses mistakes. */
export const MAX_SWEEP_BYTES = 8 * 1024 * 1024;
/** A label is "strength 5, budget 50%"; the settings' names are a seed's, a dataset's, a backend's. */
const MAX_LABEL_CHARS = 80;
const MAX_NAME_CHARS = 100;
const MAX_REASON_CHARS = 500;

export { SweepError };

/** A merged file has a few seeds per point; more than 64 is a mistake, not a sweep. */
const MAX_SEEDS = 64;
/** A seed's network may differ from the point's own (MorphNet's does), not by orders of magnitude. */
const SEED_COST_SLACK = 100;

const FAMILIES: readonly SweepFamily[] = ['uniform', 'pruning', 'morphnet'];
const TARGETS: readonly Target[] = ['flops', 'size', 'latency'];

function pointSettings(r: Reader, v: unknown, field: string, family: SweepFamily): SweepPointSettings {
  const s = r.record(v, field);
  const f = r.oneOf(s['family'], `${field}.family`, FAMILIES);
  if (f !== family) r.fail(`${field}.family`, `is "${f}" but the point's family is "${family}"`);
  if (f === 'uniform')
    return { family: f, multiplier: r.number(s['multiplier'], `${field}.multiplier`, 1e-9) };
  if (f === 'pruning') {
    return {
      family: f,
      fraction: r.number(s['fraction'], `${field}.fraction`, 0, 1),
      finetune: r.number(s['finetune'], `${field}.finetune`, 0, Infinity, true),
    };
  }
  return {
    family: f,
    strength: r.number(s['strength'], `${field}.strength`, 0, L.strength.max),
    target: r.oneOf(s['target'], `${field}.target`, TARGETS),
    threshold: r.number(s['threshold'], `${field}.threshold`, 0, L.threshold.max),
    budget: r.number(s['budget'], `${field}.budget`, 1e-9),
    omega: r.number(s['omega'], `${field}.omega`, 0),
  };
}

/** What every point is checked against: the seed, its widths, and its cost model. */
interface Seed {
  spec: NetworkSpec;
  widths: Record<string, number>;
}

/**
 * A merged point's per-seed results: seeds of `settings.seeds` (all, or those whose sweeps had
 * the point), in its order, each cost within a factor SEED_COST_SLACK of the point's own, and
 * the point's accuracy their mean.
 */
function seedResults(
  r: Reader,
  v: unknown,
  field: string,
  p: SweepPoint,
  seeds: number[] | undefined,
): SeedResult[] {
  if (seeds === undefined) r.fail(field, 'given, but settings.seeds does not list the seeds');
  const list = r.array(v, field);
  if (list.length === 0 || list.length > seeds.length)
    r.fail(field, `has ${list.length} entries, settings.seeds lists ${seeds.length}`);
  let last = -1;
  const out = list.map((e, i) => {
    const s = r.record(e, `${field}[${i}]`);
    const at = (k: string) => `${field}[${i}].${k}`;
    const seed = r.number(s['seed'], at('seed'), 0, 2 ** 32 - 1, true);
    const index = seeds.indexOf(seed);
    if (index <= last)
      r.fail(at('seed'), `is ${seed}: expected one of settings.seeds after the entries before it`);
    last = index;
    return {
      seed,
      flops: r.number(s['flops'], at('flops'), p.flops / SEED_COST_SLACK, p.flops * SEED_COST_SLACK),
      params: r.number(s['params'], at('params'), p.params / SEED_COST_SLACK, p.params * SEED_COST_SLACK),
      testAccuracy: r.number(s['testAccuracy'], at('testAccuracy'), 0, 1),
    };
  });
  const mean = out.reduce((a, s) => a + s.testAccuracy, 0) / out.length;
  if (Math.abs(mean - p.testAccuracy) > 1e-9) {
    r.fail(
      field.replace(/seeds$/, 'testAccuracy'),
      `is ${p.testAccuracy}, but the mean over its seeds is ${mean}`,
    );
  }
  return out;
}

function point(
  r: Reader,
  v: unknown,
  index: number,
  seed: Seed,
  seeds: number[] | undefined,
  latency: LatencySettings | undefined,
): SweepPoint {
  const p = r.record(v, `points[${index}]`);
  const label = r.string(p['label'], `points[${index}].label`, MAX_LABEL_CHARS);
  // Named by index and label, so a person finds the point in the file and on the chart.
  const at = `points[${index}] (${label})`;
  const f = (k: string) => `${at}: ${k}`;
  const family = r.oneOf(p['family'], f('family'), FAMILIES);
  const spec = r.spec(p['spec'], f('spec'));
  const cost = networkCost(spec);
  const widths = r.widths(p['widths'], f('widths'), seed.widths, {
    exact: seedWidths(seed.spec, spec),
    of: 'its spec',
  });
  // MorphNet's learned structure lives in the seed; a baseline's alive counts are its widths.
  const alive = r.widths(
    p['alive'],
    f('alive'),
    seed.widths,
    family === 'morphnet' ? { max: seed.widths } : { exact: widths, of: 'its widths' },
  );
  const out: SweepPoint = {
    family,
    label,
    settings: pointSettings(r, p['settings'], f('settings'), family),
    spec,
    widths,
    alive,
    flops: r.cost(p['flops'], f('flops'), cost.flops, 'FLOPs', 'its spec'),
    params: r.cost(p['params'], f('params'), cost.params, 'parameters', 'its spec'),
    testAccuracy: r.number(p['testAccuracy'], f('testAccuracy'), 0, 1),
    steps: r.number(p['steps'], f('steps'), 0, Infinity, true),
    seconds: r.number(p['seconds'], f('seconds'), 0),
  };
  if (out.settings.family === 'morphnet' && out.settings.target === 'latency' && latency === undefined)
    r.fail(f('settings.target'), 'is latency, but settings.latency names no device it was priced on');
  const latencyNs = readLatencyNs(r, p['latencyNs'], f('latencyNs'), latency, spec, undefined, 'its spec');
  if (latencyNs !== undefined) out.latencyNs = latencyNs;
  if (p['seeds'] !== undefined) out.seeds = seedResults(r, p['seeds'], f('seeds'), out, seeds);
  if (p['learned'] !== undefined) {
    const l = r.record(p['learned'], f('learned'));
    // The learned structure is the seed with `alive` channels.
    const learned = networkCost(seed.spec, alive);
    const of = 'the seed with these alive counts';
    out.learned = {
      flops: r.cost(l['flops'], f('learned.flops'), learned.flops, 'FLOPs', of),
      params: r.cost(l['params'], f('learned.params'), learned.params, 'parameters', of),
    };
    const learnedNs = readLatencyNs(r, l['latencyNs'], f('learned.latencyNs'), latency, seed.spec, alive, of);
    if (learnedNs !== undefined) out.learned.latencyNs = learnedNs;
  }
  return out;
}

function settings(r: Reader, v: unknown): SweepFile['settings'] {
  const s = r.record(v, 'settings');
  const f = (k: string) => `settings.${k}`;
  const optional: Partial<SweepFile['settings']> = {};
  if (s['schedule'] !== undefined)
    optional.schedule = r.oneOf(s['schedule'], f('schedule'), ['constant', 'cosine'] as const);
  if (s['warmup'] !== undefined) optional.warmup = r.number(s['warmup'], f('warmup'), 0, Infinity, true);
  if (s['latency'] !== undefined) optional.latency = readLatencySettings(r, s['latency'], f('latency'));
  if (s['engine'] !== undefined)
    optional.engine = r.oneOf(s['engine'], f('engine'), ['tfjs', 'pytorch'] as const);
  if (s['learnSteps'] !== undefined)
    optional.learnSteps = r.number(s['learnSteps'], f('learnSteps'), 1, Infinity, true);
  if (s['seeds'] !== undefined) {
    const seeds = r
      .array(s['seeds'], f('seeds'))
      .map((n, i) => r.number(n, `${f('seeds')}[${i}]`, 0, 2 ** 32 - 1, true));
    if (seeds.length === 0 || seeds.length > MAX_SEEDS)
      r.fail(f('seeds'), `expected 1 to ${MAX_SEEDS} seeds, got ${seeds.length}`);
    if (new Set(seeds).size !== seeds.length) r.fail(f('seeds'), 'lists a seed twice');
    optional.seeds = seeds;
  }
  return {
    ...optional,
    spec: r.string(s['spec'], f('spec'), MAX_NAME_CHARS),
    dataset: r.string(s['dataset'], f('dataset'), MAX_NAME_CHARS),
    steps: r.number(s['steps'], f('steps'), 1, Infinity, true),
    batch: r.number(s['batch'], f('batch'), 1, L.batch.max, true),
    lr: r.number(s['lr'], f('lr'), 0, L.lr.max),
    seed: r.number(s['seed'], f('seed'), 0, 2 ** 32 - 1, true),
    threshold: r.number(s['threshold'], f('threshold'), 0, L.threshold.max),
    target: r.oneOf(s['target'], f('target'), TARGETS),
    strengths: r.numbers(s['strengths'], f('strengths'), 0, L.strength.max),
    multipliers: r.numbers(s['multipliers'], f('multipliers'), 0),
    prune: r.numbers(s['prune'], f('prune'), 0),
    finetune: r.number(s['finetune'], f('finetune'), 0, Infinity, true),
    budgets: r.numbers(s['budgets'], f('budgets'), 0),
    backend: r.string(s['backend'], f('backend'), MAX_NAME_CHARS),
  };
}

const withLatencyNs = (n: number | undefined): { latencyNs?: number } =>
  n === undefined ? {} : { latencyNs: n };

/** Checks an untrusted value (parsed JSON) against the sweep format; `source` names it in errors. */
export function validateSweep(value: unknown, source: string): SweepFile {
  const r = new Reader(source);
  const root = r.record(value, 'the file');
  if (root['format'] !== SWEEP_FORMAT) {
    r.fail(
      'format',
      `expected "${SWEEP_FORMAT}" (a file written by morphnet sweep), ${r.got(root['format'])}`,
    );
  }
  if (root['version'] !== SWEEP_VERSION) {
    r.fail(
      'version',
      `expected ${SWEEP_VERSION}, ${r.got(root['version'])}; this page reads version ${SWEEP_VERSION} only`,
    );
  }
  const seedRec = r.record(root['seed'], 'seed');
  const seedSpec = r.spec(seedRec['spec'], 'seed.spec');
  const seed: Seed = { spec: seedSpec, widths: seedWidths(seedSpec, seedSpec) };
  const seedCost = networkCost(seedSpec);
  const rawPoints = r.array(root['points'], 'points');
  if (rawPoints.length === 0) r.fail('points', 'is empty: there is nothing to draw');
  const fileSettings = settings(r, root['settings']);
  const latency = fileSettings.latency;
  if (fileSettings.target === 'latency' && latency === undefined)
    r.fail('settings.target', 'is latency, but settings.latency names no device it was priced on');
  const points = rawPoints.map((p, i) => point(r, p, i, seed, fileSettings.seeds, latency));
  const seen = new Set<string>();
  points.forEach((p, i) => {
    const key = `${p.family} ${p.label}`;
    if (seen.has(key)) r.fail(`points[${i}].label`, `"${p.label}" appears twice in the ${p.family} family`);
    seen.add(key);
  });
  const skipped = r.array(root['skipped'] ?? [], 'skipped').map((v, i) => {
    const s = r.record(v, `skipped[${i}]`);
    return {
      family: r.oneOf(s['family'], `skipped[${i}].family`, FAMILIES),
      label: r.string(s['label'], `skipped[${i}].label`, MAX_LABEL_CHARS),
      reason: r.string(s['reason'], `skipped[${i}].reason`, MAX_REASON_CHARS),
    };
  });
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    settings: fileSettings,
    seed: {
      spec: seedSpec,
      flops: r.cost(seedRec['flops'], 'seed.flops', seedCost.flops, 'FLOPs', 'seed.spec'),
      params: r.cost(seedRec['params'], 'seed.params', seedCost.params, 'parameters', 'seed.spec'),
      ...withLatencyNs(
        readLatencyNs(r, seedRec['latencyNs'], 'seed.latencyNs', latency, seedSpec, undefined, 'seed.spec'),
      ),
    },
    testExamples: r.number(root['testExamples'], 'testExamples', 1, Infinity, true),
    points,
    skipped,
    seconds: r.number(root['seconds'], 'seconds', 0),
  };
}

/** Parses and validates a sweep file's text; `source` (the file name) starts every error. */
export function parseSweep(text: string, source = 'sweep file'): SweepFile {
  // UTF-16 length ≤ UTF-8 bytes ≤ 3 × length: only encode when the cheap bound is unsure.
  const bytes = text.length * 3 <= MAX_SWEEP_BYTES ? text.length : new TextEncoder().encode(text).length;
  if (bytes > MAX_SWEEP_BYTES) {
    throw new SweepError(
      source,
      null,
      `file is ${bytes} bytes, over the ${MAX_SWEEP_BYTES / 1024 / 1024} MB limit`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'bad JSON';
    throw new SweepError(source, null, `not valid JSON: ${msg}`);
  }
  return validateSweep(value, source);
}
