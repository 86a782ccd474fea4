// Every shipped starting point (public/pretrained/, written by `npm run assets`): its bytes match
// the SHA-256 index.json states, it holds exactly the seed network's weights, and its test
// accuracy recomputed here from those weights alone (tfjs wasm, as the assets step scored it) is
// at least what the index states and the floor the page's claims rest on. The first 1,000 test
// images (index.json's checkExamples): all 10,000 take minutes on one core.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/engine/backend-node.ts';
import { loadDatasetFromDisk } from '../../src/engine/data/node.ts';
import { buildModel } from '../../src/engine/model.ts';
import type { Dataset } from '../../src/engine/types.ts';
import { seedNames, seedSpec, type SeedName } from '../../src/morphnet/seeds.ts';
import { decodePretrained } from '../../src/state/pretrained/format.ts';
import { parseIndex } from '../../src/state/pretrained/manifest.ts';
import { DATASETS, PRETRAINED_DIR } from './pretrained.ts';
import { scoreWeights } from './score.ts';

/** What "trained" means here, on the full test set and on the rescored part. */
const FLOOR = { mnist: 0.97, fashion: 0.88 } as const;

const index = parseIndex(readFileSync(join(PRETRAINED_DIR, 'index.json'), 'utf8'));
const data: Partial<Record<(typeof DATASETS)[number], Dataset>> = {};

beforeAll(async () => {
  await initNodeBackend('wasm');
  for (const d of DATASETS) data[d] = await loadDatasetFromDisk(d);
});

describe('public/pretrained', () => {
  it('ships every seed network trained on each dataset', () => {
    const shipped = index.files.map((e) => `${e.net}/${e.dataset}`).sort();
    expect(shipped).toEqual(seedNames.flatMap((n) => DATASETS.map((d) => `${n}/${d}`)).sort());
  });

  for (const entry of index.files) {
    it(`${entry.file}: checksum, the seed's weights, and test accuracy from them`, async () => {
      const bytes = new Uint8Array(readFileSync(join(PRETRAINED_DIR, entry.file)));
      expect(bytes.length).toBe(entry.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
      const { header, weights } = decodePretrained(bytes);
      expect([header.net, header.dataset]).toEqual([entry.net, entry.dataset]);

      const spec = seedSpec(entry.net as SeedName);
      const model = buildModel(spec, 1);
      const exported = model.exportWeights();
      const expected = Object.fromEntries(Object.entries(exported).map(([k, t]) => [k, t.shape]));
      tf.dispose(Object.values(exported));
      model.dispose();
      expect(Object.fromEntries(Object.entries(weights).map(([k, d]) => [k, d.shape]))).toEqual(expected);

      const floor = FLOOR[entry.dataset];
      expect(entry.testAccuracy).toBeGreaterThanOrEqual(floor);
      expect(entry.testExamples).toBe(10_000);
      const accuracy = await scoreWeights(spec, weights, data[entry.dataset]!, entry.checkExamples);
      expect(accuracy).toBeGreaterThanOrEqual(entry.checkAccuracy);
      expect(accuracy).toBeGreaterThanOrEqual(floor);
    });
  }
});
