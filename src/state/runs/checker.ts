// The field checks of the run-file validator (validate.ts), each bound to the file's name so a
// problem is one RunFileError line naming the file and the field. Nothing here trusts the file:
// numbers must be finite (JSON's 1e999 parses to Infinity), text is capped and free of control
// characters (a name reaches the list and the page's notices), and alive counts and costs are
// checked against the network the file itself says it trained.
import { seedWidths } from '../../morphnet/baselines.ts';
import { networkCost } from '../../morphnet/cost.ts';
import { controlProblem } from '../../morphnet/text.ts';
import { SpecError, validateSpec } from '../../morphnet/spec.ts';
import type { NetworkSpec } from '../../morphnet/types.ts';

export class RunFileError extends Error {
  override name = 'RunFileError';
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function shown(v: unknown): string {
  // JSON writes an infinity (a file's 1e999) as null: say what it is.
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** The most a cost may exceed the cost model's figure by: float rounding, nothing more. */
const slack = (limit: number) => Math.max(0.5, limit * 1e-9);

/** A network in the file, what its every channel costs, and its conv/depthwise widths. */
export interface CheckedSpec {
  spec: NetworkSpec;
  /** Where it is in the file: "spec", "history[0].spec". */
  field: string;
  full: { flops: number; params: number };
  widths: Record<string, number>;
}

export class Checker {
  constructor(readonly source: string) {}

  fail(field: string, problem: string): never {
    throw new RunFileError(`${this.source}: field "${field}" ${problem}`);
  }
  obj(v: unknown, field: string): Obj {
    if (!isObj(v)) this.fail(field, `must be an object, got ${shown(v)}`);
    return v;
  }
  /** An object with only these fields (a `__proto__` or a typo is refused, not carried along). */
  fields(v: unknown, field: string, allowed: readonly string[], what: string): Obj {
    const o = this.obj(v, field);
    for (const k of Object.keys(o))
      if (!allowed.includes(k)) this.fail(`${field}.${k}`, `is not a field of ${what}`);
    return o;
  }
  arr(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, `must be an array, got ${shown(v)}`);
    return v;
  }
  /** Text of at most `max` characters without control characters. */
  str(v: unknown, field: string, max: number, nonEmpty = false): string {
    if (typeof v !== 'string' || (nonEmpty && v === '')) {
      this.fail(field, `must be a${nonEmpty ? ' non-empty' : ''} string, got ${shown(v)}`);
    }
    if (v.length > max) this.fail(field, `is ${v.length} characters long; it can be at most ${max}`);
    const bad = controlProblem(v);
    if (bad !== null) this.fail(field, bad);
    return v;
  }
  bool(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, got ${shown(v)}`);
    return v;
  }
  count(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
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
  positive(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      this.fail(field, `must be a positive number, got ${shown(v)}`);
    }
    return v;
  }
  /**
   * A metric reading, finite (and from 0 to 1 for a fraction, at most `max` for a cost); JSON
   * writes a NaN or an infinity (a diverged loss) as null, so null reads back as NaN.
   */
  reading(o: Obj, key: string, field: string, kind: 'any' | 'fraction' | { max: number }): void {
    const v = o[key];
    const f = `${field}.${key}`;
    if (v === null) {
      o[key] = NaN;
      return;
    }
    if (typeof v !== 'number' || !Number.isFinite(v))
      this.fail(f, `must be a finite number or null, got ${shown(v)}`);
    if (kind === 'fraction' && !(v >= 0 && v <= 1))
      this.fail(f, `must be a fraction from 0 to 1 or null, got ${shown(v)}`);
    if (typeof kind === 'object') {
      if (v < 0) this.fail(f, `must be a number ≥ 0 or null, got ${shown(v)}`);
      if (v > kind.max + slack(kind.max))
        this.fail(f, `is ${shown(v)}, more than the ${kind.max} the largest network in the run costs`);
    }
  }
  fraction(v: unknown, field: string): number | null {
    if (v === null) return null;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      this.fail(field, `must be a fraction from 0 to 1 or null, got ${shown(v)}`);
    }
    return v;
  }
  time(v: unknown, field: string): void {
    if (typeof v !== 'string' || v.length > 40 || Number.isNaN(Date.parse(v))) {
      this.fail(field, `must be a date and time (ISO 8601), got ${shown(v)}`);
    }
  }
  oneOf(v: unknown, list: readonly unknown[], field: string): void {
    if (!list.includes(v))
      this.fail(field, `must be one of ${list.map((x) => shown(x)).join(', ')}, got ${shown(v)}`);
  }
  /** Validates a spec and returns its normalized copy with its full cost and widths. */
  spec(v: unknown, field: string): CheckedSpec {
    let spec: NetworkSpec;
    try {
      spec = validateSpec(v, field);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      const where =
        (e.layer === null ? '' : `layer ${e.layer}: `) + (e.field === null ? '' : `field "${e.field}": `);
      this.fail(field, `is not a valid network spec: ${where}${e.detail}`);
    }
    const c = networkCost(spec);
    return { spec, field, full: { flops: c.flops, params: c.params }, widths: seedWidths(spec, spec) };
  }
  /** FLOPs and parameters, at most what the whole network `of` costs. */
  cost(v: unknown, field: string, of: CheckedSpec): void {
    const o = this.fields(v, field, ['flops', 'params'], 'a cost');
    for (const [k, unit] of [
      ['flops', 'FLOPs'],
      ['params', 'parameters'],
    ] as const) {
      const n = this.nonNegative(o[k], `${field}.${k}`);
      const max = of.full[k];
      if (n > max + slack(max)) {
        this.fail(
          `${field}.${k}`,
          `is ${shown(n)}, more than the ${max} ${unit} of the whole network in "${of.field}"`,
        );
      }
    }
  }
  /** Alive channels of conv/depthwise layers of the network `of`, each at most the layer's width. */
  alive(v: unknown, field: string, of: CheckedSpec): void {
    const o = this.obj(v, field);
    for (const [k, n] of Object.entries(o)) {
      const width = Object.hasOwn(of.widths, k) ? of.widths[k] : undefined;
      if (width === undefined)
        this.fail(`${field}.${k}`, `is not a conv or depthwise layer of the network in "${of.field}"`);
      const count = this.count(n, `${field}.${k}`);
      if (count > width)
        this.fail(`${field}.${k}`, `is ${count}, more than the layer's ${width} channels in "${of.field}"`);
    }
  }
}
