// `npm run assets`: the recorded twin run the page plays at once (issue 11). Trains resnet-mini
// twice from one initialization and one data order (same seed), once per target, with the
// engine the CLI uses (wasm backend), reads back every READ_EVERY steps, and writes one JSON file
// to public/recordings/. Deterministic from its settings: the same command writes the same bytes.
//
//   npm run assets [-- --steps 300] [--dataset mnist|fashion] [--out FILE] [--only recording|pretrained]
//
// Without --dataset it records both datasets (public/recordings/<dataset>-resnet-mini.json), so
// the one command rewrites everything the page ships.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { writeText } from '../../src/cli/io.ts';
import { initNodeBackend } from '../../src/engine/backend-node.ts';
import { loadDatasetFromDisk } from '../../src/engine/data/node.ts';
import { createSession } from '../../src/engine/session.ts';
import type { DatasetName, TrainSettings } from '../../src/engine/types.ts';
import { networkCost } from '../../src/morphnet/cost.ts';
import { seedSpec, withInput } from '../../src/morphnet/seeds.ts';
import type { NetworkSpec } from '../../src/morphnet/types.ts';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedRun,
  type RecordedTarget,
  type Recording,
} from '../../src/state/replay/recording.ts';
import { writePretrained } from './pretrained.ts';
import { expansionOf, frameOf } from './record.ts';

const READ_EVERY = 10;
const EVAL_EVERY = 50;
/** Test images scored at each evaluation, after 20 batches re-estimate batch-norm statistics (as the CLI does). */
const EVAL_LIMIT = 1000;
/** The CLI's and the page's defaults (docs/RESULTS.md): strength 5, threshold 0.01, lr 0.05, batch 32, seed 1. */
const SETTINGS = { strength: 5, threshold: 0.01, lr: 0.05, batch: 32, seed: 1 };

async function recordRun(
  spec: NetworkSpec,
  dataset: Awaited<ReturnType<typeof loadDatasetFromDisk>>,
  target: RecordedTarget,
  steps: number,
): Promise<RecordedRun> {
  const settings: TrainSettings = { ...SETTINGS, target };
  const session = await createSession({ spec, dataset, settings });
  const frames = [frameOf(await session.readMetrics())];
  const started = Date.now();
  try {
    while (session.step < steps) {
      for (let k = 0; k < READ_EVERY && session.step < steps; k++) session.trainStep();
      const m = await session.readMetrics();
      const test =
        m.step % EVAL_EVERY === 0 || m.step === steps
          ? await session.evaluate(EVAL_LIMIT, { calibrate: 20 })
          : undefined;
      frames.push(frameOf(m, test));
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      process.stderr.write(
        `\r${target}: step ${m.step}/${steps} · FLOPs ${m.flops} · ${secs} s${test === undefined ? '' : ` · test ${(test * 100).toFixed(1)}%`}   `,
      );
    }
  } finally {
    session.dispose();
  }
  process.stderr.write('\n');
  return { target, frames, expansion: expansionOf(spec, frames, target) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '300' },
      dataset: { type: 'string' },
      out: { type: 'string' },
      // `recording` or `pretrained` (the trained starting points, ./pretrained.ts); both by default.
      only: { type: 'string' },
      // With --only pretrained: rescore the files in public/pretrained/ and rewrite index.json.
      'no-train': { type: 'boolean', default: false },
    },
  });
  if (values.only !== undefined && values.only !== 'recording' && values.only !== 'pretrained')
    throw new Error('--only must be recording or pretrained');
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < READ_EVERY)
    throw new Error(`--steps must be a whole number of at least ${READ_EVERY}`);
  const names: DatasetName[] = values.dataset === undefined ? ['mnist', 'fashion'] : [values.dataset as DatasetName];
  for (const n of names) if (n !== 'mnist' && n !== 'fashion') throw new Error('--dataset must be mnist or fashion');
  if (values.out !== undefined && names.length > 1) throw new Error('--out names one file: give --dataset too');
  await initNodeBackend('wasm');
  if (values.only === 'pretrained') return writePretrained({ train: !values['no-train'] });
  for (const name of names) await writeRecording(name, steps, values.out ?? `public/recordings/${name}-resnet-mini.json`);
  if (values.only !== 'recording') await writePretrained();
}

async function writeRecording(name: DatasetName, steps: number, out: string): Promise<void> {
  const dataset = await loadDatasetFromDisk(name);
  const spec = withInput(
    seedSpec('resnet-mini'),
    { height: dataset.height, width: dataset.width, channels: dataset.channels },
    dataset.classes,
  );
  const seedCost = networkCost(spec);
  const flops = await recordRun(spec, dataset, 'flops', steps);
  const size = await recordRun(spec, dataset, 'size', steps);
  const recording: Recording = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    settings: { net: 'resnet-mini', dataset: name, ...SETTINGS },
    spec,
    seedCost: { flops: seedCost.flops, params: seedCost.params },
    runs: { flops, size },
  };
  const text = `${JSON.stringify(recording)}\n`;
  mkdirSync(dirname(out), { recursive: true });
  writeText(out, text, 'recording');
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  process.stderr.write(
    `wrote ${out}: ${kb(Buffer.byteLength(text))} (${kb(gzipSync(text, { level: 9 }).length)} gzipped)\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`assets: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
