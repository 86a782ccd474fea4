// node:util parseArgs with its errors rewritten as one short UsageError line per problem.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { Target } from '../morphnet/types.ts';
import { UsageError } from './errors.ts';
import { positiveNumber } from './numbers.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--steps -1` is a value, not an option: parseArgs would call it ambiguous, so a string option
 * followed by something that reads as a negative number is joined to it (`--steps=-1`) and the
 * value's own check says what is wrong with it.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  const hint = ` (see morphnet ${command} --help)`;
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const msg = e instanceof Error ? e.message : String(e);
    const quoted = /'([^']+)'/.exec(msg)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`${command}: unknown option ${quoted}${hint}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError(`${command}: unexpected argument "${quoted}"${hint}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = quoted.split(' ')[0] ?? quoted;
      if (options[flag.replace(/^--/, '')]?.type === 'boolean') throw new UsageError(`${command}: ${flag} takes no value${hint}`);
      throw new UsageError(`${command}: option ${flag} needs a value${hint}`);
    }
    throw new UsageError(`${command}: ${msg.split('\n')[0] ?? msg}`);
  }
  // parseArgs keeps the last of a repeated flag without a word; two values for one setting is a mistake.
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name)) throw new UsageError(`${command}: --${t.name} is given more than once${hint}`);
    seen.add(t.name);
  }
  return parsed.values;
}

export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '')
    throw new UsageError(`${command}: --${name} is required (see morphnet ${command} --help)`);
  return value;
}

export function parseTarget(command: string, value: string | undefined): Target {
  const v = required(command, 'target', value);
  if (v !== 'flops' && v !== 'size' && v !== 'latency')
    throw new UsageError(`${command}: --target must be flops, size or latency, got "${v}"`);
  return v;
}

/** A positive number; thousands groups may be separated by commas or underscores (3,244,672). */
export function parsePositive(command: string, name: string, value: string): number {
  return positiveNumber(command, name, value);
}
