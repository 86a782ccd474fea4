// The field checks of the sweep-file validator (sweep-validate.ts), bound to one file name so
// each throws a SweepError naming the file and the field. Numbers must be finite (a file's 1e999
// parses to Infinity), text is capped and free of control characters, and costs must be what
// the cost model gives.
import { SpecError, validateSpec } from './spec.ts';
import { controlProblem } from './text.ts';
import type { NetworkSpec } from './types.ts';

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

export type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(v: unknown): string {
  // JSON writes an infinity (a file's 1e999) as null: say what it is.
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Field checks bound to one file name, so each throws a SweepError naming it. */
export class Reader {
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

  /** Non-empty text of at most `max` characters, without control characters. */
  string(v: unknown, field: string, max: number): string {
    if (typeof v !== 'string' || v === '') this.fail(field, `expected a non-empty string, ${this.got(v)}`);
    if (v.length > max) this.fail(field, `is ${v.length} characters long; it can be at most ${max}`);
    const bad = controlProblem(v);
    if (bad !== null) this.fail(field, bad);
    return v;
  }

  /** A cost the file states, equal (within float rounding) to what the cost model gives. */
  cost(v: unknown, field: string, expected: number, unit: string, of: string): number {
    const n = this.number(v, field, 0);
    if (Math.abs(n - expected) > Math.max(0.5, expected * 1e-9)) {
      this.fail(field, `is ${shown(n)}, but the network in ${of} has ${expected} ${unit}`);
    }
    return n;
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

  numbers(v: unknown, field: string, min: number, max = Infinity): number[] {
    return this.array(v, field).map((n, i) => this.number(n, `${field}[${i}]`, min, max));
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

  /**
   * Widths or alive counts: every seed conv/depthwise layer, a whole number of channels, at most
   * `max[layer]` (alive counts: the seed's widths) or exactly `exact[layer]` (widths: the spec's).
   */
  widths(
    v: unknown,
    field: string,
    seed: Readonly<Record<string, number>>,
    bound:
      { max: Readonly<Record<string, number>> } | { exact: Readonly<Record<string, number>>; of: string },
  ): Record<string, number> {
    const rec = this.record(v, field);
    for (const key of Object.keys(rec)) {
      if (!Object.hasOwn(seed, key))
        this.fail(`${field}.${key}`, 'not a conv or depthwise layer of the seed');
    }
    const out = Object.create(null) as Record<string, number>;
    for (const name of Object.keys(seed)) {
      const f = `${field}.${name}`;
      const n = this.number(Object.hasOwn(rec, name) ? rec[name] : undefined, f, 0, Infinity, true);
      if ('max' in bound && n > (bound.max[name] ?? 0)) {
        this.fail(f, `is ${n}, more than the ${bound.max[name]} channels the layer has in the seed`);
      }
      if ('exact' in bound && n !== bound.exact[name]) {
        this.fail(f, `is ${n}, but the layer has ${bound.exact[name]} channels in ${bound.of}`);
      }
      out[name] = n;
    }
    return out;
  }
}
