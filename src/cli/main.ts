// The command table and the one place errors become exit codes. Commands load lazily, so `cost`
// never pays for loading tfjs.
import { isUserError, oneLine } from './errors.ts';
import { sanitize } from './format.ts';
import { COMMAND_HELP, MAIN_HELP } from './help.ts';

export interface Command {
  run(argv: string[]): Promise<number>;
}

/** Register a command here; its help text goes in help.ts. */
export const COMMANDS: Record<string, Command> = {
  cost: { run: async (argv) => (await import('./cost.ts')).runCost(argv) },
  expand: { run: async (argv) => (await import('./expand.ts')).runExpand(argv) },
  train: { run: async (argv) => (await import('./train.ts')).runTrain(argv) },
  sweep: { run: async (argv) => (await import('./sweep.ts')).runSweep(argv) },
  export: { run: async (argv) => (await import('./export.ts')).runExport(argv) },
  import: { run: async (argv) => (await import('./import.ts')).runImport(argv) },
};

function fail(message: string): number {
  process.stderr.write(`morphnet: ${sanitize(message)}\n`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return fail('no command given (see morphnet --help)');
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    process.stdout.write(
      `${topic !== undefined && topic in COMMAND_HELP ? COMMAND_HELP[topic] : MAIN_HELP}\n`,
    );
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    if (name in COMMAND_HELP) return fail(`${name}: not available in this version`);
    return fail(
      `unknown command "${name}" (commands: ${Object.keys(COMMAND_HELP).join(', ')}; see morphnet --help)`,
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${COMMAND_HELP[name] ?? MAIN_HELP}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (isUserError(e)) return fail(oneLine(e));
    // A bug, not the user's mistake: still one line, but a different exit code.
    process.stderr.write(`morphnet: internal error: ${sanitize(oneLine(e))}\n`);
    return 1;
  }
}
