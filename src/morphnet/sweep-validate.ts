// Reading a sweep file someone hands the page (issue 4, "Headless"): JSON text in, a checked
// SweepFile out. A file can come from any version of the CLI or from a text editor, so every field
// the page draws or computes with is checked, and a problem is one line naming the file and the
// field (`points[3].testAccuracy: expected a number in [0, 1]`), never a stack trace.
import { SpecError, validateSpec } from './spec.ts';
import { SWEEP_FORMAT, SWEEP_VERSION } from './sweep.ts';
import type { SweepFamily, SweepFile, SweepPoint, SweepPointSettings } from './sweep.ts';
import type { NetworkSpec, Target } from './types.ts';

/** A sweep of a few dozen points is well under 1 MB; 8 MB leaves room and refuses mistakes. */
export const MAX_SWEEP_BYTES = 8 * 1024 * 1024;

export class SweepError extends Error {
  override name = 'SweepError';
  constructor(
    readonly source: string,
    /** Where in the file: `points[3].testAccuracy`; null for the file as a whole. */
    readonly field: string | null,
    readonly detail: string,
  ) {
    super(`${source}: ${field === null ? '' : `${field}: `}${detail}`);
  }
}

type Rec = Record<string, unknown>;
const FAMILIES: readonly SweepFamily[] = ['uniform', 'pruning', 'morphnet'];
const TARGETS: readonly Target[] = ['flops', 'size'];

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Field checks bound to one file name, so each throws a SweepError naming it. */
class Reader {
  constructor(readonly source: string) {}

  fail(field: string | null, detail: string): never {
    throw new SweepError(this.source, field, detail);
  }

  got(v: unknown): string {
    return v === undefined ? 'missing' : `got ${shown(v)}`;
  }

  record(v: unknown, field: string): Rec {
    if (!isRecord(v)) this.fail(field, `expected an object, ${this.got(v)}`);
    return v;
  }

  array(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, `expected an array, ${this.got(v)}`);
    return v;
  }

  string(v: unknown, field: string): string {
    if (typeof v !== 'string' || v === '') this.fail(field, `expected a non-empty string, ${this.got(v)}`);
    return v;
  }

  /** A finite number at least `min` (and at most `max`), an integer if asked. */
  number(v: unknown, field: string, min: number, max = Infinity, integer = false): number {
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      v >= min &&
      v <= max &&
      (!integer || Number.isInteger(v));
    if (!ok) {
      const what = integer ? 'an integer' : 'a number';
      const range =
        max === Infinity ? (min === 0 ? ' ≥ 0' : min > 0 ? ` ≥ ${min}` : '') : ` in [${min}, ${max}]`;
      this.fail(field, `expected ${what}${range}, ${this.got(v)}`);
    }
    return v;
  }

  numbers(v: unknown, field: string, min: number): number[] {
    return this.array(v, field).map((n, i) => this.number(n, `${field}[${i}]`, min));
  }

  oneOf<T extends string>(v: unknown, field: string, options: readonly T[]): T {
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
      this.fail(field, `expected one of ${options.join(', ')}, ${this.got(v)}`);
    }
    return v as T;
  }

  spec(v: unknown, field: string): NetworkSpec {
    try {
      return validateSpec(v, `${this.source}: ${field}`);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      // Its message starts with the source it was given; keep the spec format's own wording after it.
      throw new SweepError(this.source, field, e.message.slice(`${this.source}: ${field}: `.length));
    }
  }

  /** Widths or alive counts: every seed conv/depthwise layer, a whole number of channels. */
  widths(v: unknown, field: string, layers: readonly string[]): Record<string, number> {
    const rec = this.record(v, field);
    const out: Record<string, number> = {};
    for (const name of layers) out[name] = this.number(rec[name], `${field}.${name}`, 0, Infinity, true);
    for (const key of Object.keys(rec)) {
      if (!layers.includes(key)) this.fail(`${field}.${key}`, 'not a conv or depthwise layer of the seed');
    }
    return out;
  }
}

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
    strength: r.number(s['strength'], `${field}.strength`, 0),
    target: r.oneOf(s['target'], `${field}.target`, TARGETS),
    threshold: r.number(s['threshold'], `${field}.threshold`, 0),
    budget: r.number(s['budget'], `${field}.budget`, 1e-9),
    omega: r.number(s['omega'], `${field}.omega`, 0),
  };
}

function point(r: Reader, v: unknown, field: string, layers: readonly string[]): SweepPoint {
  const p = r.record(v, field);
  const family = r.oneOf(p['family'], `${field}.family`, FAMILIES);
  const out: SweepPoint = {
    family,
    label: r.string(p['label'], `${field}.label`),
    settings: pointSettings(r, p['settings'], `${field}.settings`, family),
    spec: r.spec(p['spec'], `${field}.spec`),
    widths: r.widths(p['widths'], `${field}.widths`, layers),
    alive: r.widths(p['alive'], `${field}.alive`, layers),
    flops: r.number(p['flops'], `${field}.flops`, 0),
    params: r.number(p['params'], `${field}.params`, 0),
    testAccuracy: r.number(p['testAccuracy'], `${field}.testAccuracy`, 0, 1),
    steps: r.number(p['steps'], `${field}.steps`, 0, Infinity, true),
    seconds: r.number(p['seconds'], `${field}.seconds`, 0),
  };
  if (p['learned'] !== undefined) {
    const l = r.record(p['learned'], `${field}.learned`);
    out.learned = {
      flops: r.number(l['flops'], `${field}.learned.flops`, 0),
      params: r.number(l['params'], `${field}.learned.params`, 0),
    };
  }
  return out;
}

function settings(r: Reader, v: unknown): SweepFile['settings'] {
  const s = r.record(v, 'settings');
  const f = (k: string) => `settings.${k}`;
  return {
    spec: r.string(s['spec'], f('spec')),
    dataset: r.string(s['dataset'], f('dataset')),
    steps: r.number(s['steps'], f('steps'), 1, Infinity, true),
    batch: r.number(s['batch'], f('batch'), 1, Infinity, true),
    lr: r.number(s['lr'], f('lr'), 0),
    seed: r.number(s['seed'], f('seed'), 0, Infinity, true),
    threshold: r.number(s['threshold'], f('threshold'), 0),
    target: r.oneOf(s['target'], f('target'), TARGETS),
    strengths: r.numbers(s['strengths'], f('strengths'), 0),
    multipliers: r.numbers(s['multipliers'], f('multipliers'), 0),
    prune: r.numbers(s['prune'], f('prune'), 0),
    finetune: r.number(s['finetune'], f('finetune'), 0, Infinity, true),
    budgets: r.numbers(s['budgets'], f('budgets'), 0),
    backend: r.string(s['backend'], f('backend')),
  };
}

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
  const layers = seedSpec.layers
    .filter((l) => l.type === 'conv' || l.type === 'depthwise')
    .map((l) => l.name);
  const rawPoints = r.array(root['points'], 'points');
  if (rawPoints.length === 0) r.fail('points', 'is empty: there is nothing to draw');
  const points = rawPoints.map((p, i) => point(r, p, `points[${i}]`, layers));
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
      label: r.string(s['label'], `skipped[${i}].label`),
      reason: r.string(s['reason'], `skipped[${i}].reason`),
    };
  });
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    settings: settings(r, root['settings']),
    seed: {
      spec: seedSpec,
      flops: r.number(seedRec['flops'], 'seed.flops', 0),
      params: r.number(seedRec['params'], 'seed.params', 0),
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
