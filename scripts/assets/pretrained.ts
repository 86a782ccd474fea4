// `npm run assets` (or `-- --only pretrained`): the trained starting points the page offers
// ("Start from: trained on ..."). Trains each seed network on MNIST and Fashion-MNIST with
// scripts/assets/pretrain.py (PyTorch, one thread, seeded, one at a time), then reads each file
// back as the page does, scores it in tfjs (wasm) from its weights alone, and writes
// public/pretrained/index.json with every file's SHA-256, size and accuracy.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeText } from '../../src/cli/io.ts';
import { loadDatasetFromDisk } from '../../src/engine/data/node.ts';
import type { Dataset } from '../../src/engine/types.ts';
import { seedSpec, type SeedName } from '../../src/morphnet/seeds.ts';
import { decodePretrained } from '../../src/state/pretrained/format.ts';
import { INDEX_FORMAT, INDEX_VERSION, type PretrainedEntry, type PretrainedIndex } from '../../src/state/pretrained/manifest.ts';
import { scoreWeights } from './score.ts';

export const PRETRAINED_DIR = 'public/pretrained';
/**
 * Steps at batch 64, lr 0.05 with cosine decay, seed 1: the larger the network, the fewer steps
 * (each of resnet-mini's costs 2.7× plain-cnn's and 13× inception-mini's). 56 minutes for all
 * six on one thread of the shared 2-core development machine (load 6 to 14; resnet-mini's first
 * 200 steps took 31 s at load 2), then 3.5 minutes of scoring.
 */
export const RECIPES: readonly { net: SeedName; steps: number }[] = [
  { net: 'resnet-mini', steps: 1500 },
  { net: 'plain-cnn', steps: 2000 },
  { net: 'inception-mini', steps: 3000 },
];
export const DATASETS = ['mnist', 'fashion'] as const;
/** The test images the unit test rescores (the full 10,000 take minutes on one core). */
export const CHECK_EXAMPLES = 1000;

function train(net: SeedName, dataset: string, steps: number, out: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'pretrain-'));
  const specFile = join(dir, `${net}.json`);
  writeFileSync(specFile, JSON.stringify(seedSpec(net)));
  const python = process.env.MORPHNET_PYTHON ?? 'python3';
  const args = ['scripts/assets/pretrain.py', '--spec', specFile, '--dataset', dataset, '--steps', String(steps), '--out', out];
  const r = spawnSync(python, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`${python} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

async function entryOf(net: SeedName, dataset: (typeof DATASETS)[number], data: Dataset): Promise<PretrainedEntry> {
  const file = `${net}-${dataset}.bin`;
  const bytes = new Uint8Array(readFileSync(join(PRETRAINED_DIR, file)));
  const { weights } = decodePretrained(bytes);
  const spec = seedSpec(net);
  const testAccuracy = await scoreWeights(spec, weights, data, data.test.count);
  const checkAccuracy = await scoreWeights(spec, weights, data, CHECK_EXAMPLES);
  return {
    net,
    dataset,
    file,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    testAccuracy,
    testExamples: data.test.count,
    checkAccuracy,
    checkExamples: CHECK_EXAMPLES,
  };
}

/** Trains (unless `train` is false: then only rescores the files there) and writes index.json. */
export async function writePretrained({ train: doTrain = true } = {}): Promise<void> {
  mkdirSync(PRETRAINED_DIR, { recursive: true });
  const files: PretrainedEntry[] = [];
  let raw = 0;
  let gzipped = 0;
  for (const dataset of DATASETS) {
    const data = await loadDatasetFromDisk(dataset);
    for (const { net, steps } of RECIPES) {
      const out = join(PRETRAINED_DIR, `${net}-${dataset}.bin`);
      if (doTrain) train(net, dataset, steps, out);
      const entry = await entryOf(net, dataset, data);
      files.push(entry);
      const bytes = readFileSync(out);
      raw += bytes.length;
      gzipped += gzipSync(bytes, { level: 9 }).length;
      process.stderr.write(
        `${entry.file}: test ${(entry.testAccuracy * 100).toFixed(2)}% of ${entry.testExamples} (${(entry.checkAccuracy * 100).toFixed(1)}% of the first ${CHECK_EXAMPLES}), ${entry.bytes} bytes\n`,
      );
    }
  }
  const index: PretrainedIndex = { format: INDEX_FORMAT, version: INDEX_VERSION, files };
  writeText(join(PRETRAINED_DIR, 'index.json'), `${JSON.stringify(index, null, 2)}\n`, 'the pretrained index');
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  process.stderr.write(`wrote ${PRETRAINED_DIR}/: ${files.length} files, ${kb(raw)} (${kb(gzipped)} gzipped)\n`);
}
