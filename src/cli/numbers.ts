// Numbers on the command line: plain decimals only. Number() alone would take "0x2", "1e", " 3",
// "" (0) and "Infinity"; a typo must be an error, not a silently different run.
import { UsageError } from './errors.ts';

/** Digits with an optional fraction and exponent; thousands groups of three (3,244,672 or 1_000). */
const DECIMAL = /^[+-]?(?:\d{1,3}(?:([,_])\d{3})?(?:\1\d{3})*|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?$|^[+-]?\.\d+(?:[eE][+-]?\d+)?$/;

/** The number `text` spells, or null when it is not a plain decimal or not finite (1e999). */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const n = Number(text.replace(/[,_]/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** How a bad value is shown: quoted as typed, so " 3" and "" are visible. */
export const shown = (text: string): string => JSON.stringify(text);

/** Compact and exact enough for a message: 0.00001 → "0.00001", 4294967295 → "4294967295". */
export function plain(n: number): string {
  return Math.abs(n) < 1e-3 && n !== 0 ? n.toFixed(-Math.floor(Math.log10(Math.abs(n)))) : String(n);
}

export interface Range {
  min: number;
  max: number;
  /** The range's origin, said after it: "the page's range". */
  why?: string;
}

/** `--name` as a number in [min, max]. */
export function rangedNumber(command: string, name: string, text: string, r: Range): number {
  const n = parseDecimal(text);
  if (n === null || n < r.min || n > r.max) {
    const why = r.why === undefined ? '' : ` (${r.why})`;
    throw new UsageError(`${command}: --${name} must be a number from ${plain(r.min)} to ${plain(r.max)}${why}, got ${shown(text)}`);
  }
  return n;
}

/** `--name` as an integer ≥ min (and ≤ max when given). */
export function integer(command: string, name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = parseDecimal(text);
  if (n === null || !Number.isInteger(n) || n < min || n > max) {
    const kind =
      max !== Number.MAX_SAFE_INTEGER
        ? `an integer from ${plain(min)} to ${plain(max)}`
        : min === 0
          ? 'a non-negative integer'
          : min === 1
            ? 'a positive integer'
            : `an integer ≥ ${min}`;
    throw new UsageError(`${command}: --${name} must be ${kind}, got ${shown(text)}`);
  }
  return n;
}

/** `--name` as a number > 0. */
export function positiveNumber(command: string, name: string, text: string): number {
  const n = parseDecimal(text);
  if (n === null || n <= 0) throw new UsageError(`${command}: --${name} must be a positive number, got ${shown(text)}`);
  return n;
}
