// `morphnet import --from keras|tfjs FILE [--out FILE]`: a Keras model (`model.to_json()`) or a
// TensorFlow.js Layers `model.json` as a studio spec (issue 12), for `cost`, `train` and the page.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importKeras } from '../morphnet/import-keras.ts';
import { formatSpec } from '../morphnet/spec.ts';
import { UsageError } from './errors.ts';
import { readText, writeText } from './io.ts';

const HINT = ' (see morphnet import --help)';
const FORMATS = ['keras', 'tfjs'] as const;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { from: { type: 'string' }, out: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: string }).code;
    const quoted = /'([^']+)'/.exec(msg)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`import: unknown option ${quoted}${HINT}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(`import: option ${quoted.split(' ')[0] ?? quoted} needs a value${HINT}`);
    }
    throw new UsageError(`import: ${msg.split('\n')[0] ?? msg}`);
  }
}

export function runImport(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const from = values.from;
  if (from === undefined || from === '')
    throw new UsageError(`import: --from is required (keras or tfjs)${HINT}`);
  if (!(FORMATS as readonly string[]).includes(from)) {
    throw new UsageError(`import: --from must be keras or tfjs, got "${from}"`);
  }
  if (positionals.length === 0) throw new UsageError(`import: give the model file to import${HINT}`);
  if (positionals.length > 1)
    throw new UsageError(`import: one model file at a time, got ${positionals.length}`);
  const file = positionals[0] as string;
  const out = values.out;
  if (out === '') throw new UsageError(`import: --out needs a file name${HINT}`);
  if (out !== undefined && resolve(out) === resolve(file)) {
    throw new UsageError(`import: --out "${out}" is the model file itself; choose another name`);
  }
  const what = from === 'tfjs' ? 'TensorFlow.js model file' : 'Keras model file';
  const spec = importKeras(readText(file, what), file);
  const text = formatSpec(spec);
  if (out === undefined) {
    process.stdout.write(text);
    return Promise.resolve(0);
  }
  writeText(out, text, 'spec file');
  const { height, width, channels } = spec.input;
  process.stdout.write(
    `${spec.name}: ${spec.layers.length} layers, ${height}×${width}×${channels} input, ${spec.classes} classes; wrote ${out}\n`,
  );
  return Promise.resolve(0);
}
