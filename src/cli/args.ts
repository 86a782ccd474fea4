// node:util parseArgs with its errors rewritten as one short UsageError line per problem.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { Target } from '../morphnet/types.ts';
import { UsageError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const msg = e instanceof Error ? e.message : String(e);
    const quoted = /'([^']+)'/.exec(msg)?.[1] ?? '';
    const hint = ` (see morphnet ${command} --help)`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`${command}: unknown option ${quoted}${hint}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError(`${command}: unexpected argument "${quoted}"${hint}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(`${command}: option ${quoted.split(' ')[0] ?? quoted} needs a value${hint}`);
    }
    throw new UsageError(`${command}: ${msg.split('\n')[0] ?? msg}`);
  }
}

export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '')
    throw new UsageError(`${command}: --${name} is required (see morphnet ${command} --help)`);
  return value;
}

export function parseTarget(command: string, value: string | undefined): Target {
  const v = required(command, 'target', value);
  if (v !== 'flops' && v !== 'size')
    throw new UsageError(`${command}: --target must be flops or size, got "${v}"`);
  return v;
}

/** A positive number; underscores and commas are allowed as thousands separators (3,244,672). */
export function parsePositive(command: string, name: string, value: string): number {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${command}: --${name} must be a positive number, got "${value}"`);
  return n;
}
