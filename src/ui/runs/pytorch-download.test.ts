import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { seedSpec } from '../../morphnet/seeds.ts';
import { pytorchZip } from './pytorch-download.ts';

describe('pytorchZip', () => {
  const spec = seedSpec('plain-cnn');
  const run = { seedSpec: spec, spec, alive: {}, importedSpec: false, settings: { net: 'plain-cnn' } };

  it('holds the package in one folder: the sources, spec.json and plan.json', () => {
    const files = unzipSync(pytorchZip(run, 'plain-cnn-pytorch', 'spec'));
    expect(Object.keys(files).sort()).toEqual(
      [
        'README.md',
        'data.py',
        'latency.py',
        'model.py',
        'morphnet.py',
        'plan.json',
        'runfile.py',
        'spec.json',
        'train.py',
      ].map((f) => `plain-cnn-pytorch/${f}`),
    );
    expect(JSON.parse(strFromU8(files['plain-cnn-pytorch/spec.json']!))).toEqual(spec);
    expect(strFromU8(files['plain-cnn-pytorch/model.py']!)).toContain('def build_model(');
    const plan = JSON.parse(strFromU8(files['plain-cnn-pytorch/plan.json']!)) as { net: string };
    expect(plan.net).toBe('plain-cnn');
  });

  it('is the same bytes each time (fixed timestamps), so a download can be compared', () => {
    expect(pytorchZip(run, 'x', 'spec')).toEqual(pytorchZip(run, 'x', 'spec'));
  });
});
