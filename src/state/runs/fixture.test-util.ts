// A small valid run for the tests of this folder.
import { seedSpec as builtin } from '../../morphnet/seeds.ts';
import { DEFAULTS } from '../url.ts';
import { createRunRecord, type RunRecord } from './record.ts';

export const seedSpec = builtin('plain-cnn');

export function sampleRun(over: Partial<RunRecord> = {}, at = '2026-01-02T03:04:05.000Z'): RunRecord {
  return {
    ...createRunRecord(
      {
        settings: { ...DEFAULTS, net: 'plain-cnn', dataset: 'shapes', batch: 4 },
        importedSpec: false,
        seedSpec,
        spec: seedSpec,
        seedCost: { flops: 1000, params: 100 },
        step: 3,
        cycle: 0,
        history: [],
        metrics: {
          curve: [
            { cycle: 0, step: 1, taskLoss: 2.3, regLoss: 0.5, trainAccuracy: 0.25 },
            { cycle: 0, step: 2, taskLoss: 2.1, regLoss: 0.4, trainAccuracy: 0.5 },
          ],
          costCurve: [
            { cycle: 0, step: 1, flops: 1000, params: 100 },
            { cycle: 0, step: 2, flops: 900, params: 95 },
          ],
          testCurve: [{ cycle: 0, step: 2, accuracy: 0.4 }],
        },
        alive: { conv1: 5 },
        cost: { flops: 900, params: 95 },
        testAccuracy: 0.4,
        backend: 'webgpu',
      },
      new Date(at),
    ),
    ...over,
  };
}
