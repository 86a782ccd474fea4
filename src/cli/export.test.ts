import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { networkCost } from '../morphnet/cost.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import { uniformSpec } from '../morphnet/baselines.ts';
import { formatSpec, parseSpec, SpecError } from '../morphnet/spec.ts';
import { UsageError } from './errors.ts';
import { runExport } from './export.ts';

const dir = mkdtempSync(join(tmpdir(), 'morphnet-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function usageError(argv: string[]): Promise<string> {
  const e: unknown = await runExport(argv).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  return (e as Error).message;
}

describe('morphnet export', () => {
  it('writes the package for a seed', async () => {
    const out = join(dir, 'seed');
    expect(await runExport(['--spec', 'resnet-mini', '--format', 'pytorch', '--out', out])).toBe(0);
    expect(parseSpec(readFileSync(join(out, 'spec.json'), 'utf8'))).toEqual(seedSpec('resnet-mini'));
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    expect(plan.net).toBe('resnet-mini');
    expect(readFileSync(join(out, 'train.py'), 'utf8')).toContain('def main(');
  });

  it('builds the network at the alive counts of a structure file, F(seed) still the seed', async () => {
    const alive = join(dir, 'alive_300');
    writeFileSync(alive, JSON.stringify({ 'conv1/Conv2D': 5, 'conv3/Conv2D': 7 }));
    const out = join(dir, 'alive');
    expect(
      await runExport(['--spec', 'plain-cnn', '--alive', alive, '--format', 'pytorch', '--out', out]),
    ).toBe(0);
    const spec = parseSpec(readFileSync(join(out, 'spec.json'), 'utf8'));
    const filters = spec.layers.flatMap((l) => (l.type === 'conv' ? [l.filters] : []));
    expect(filters).toEqual([5, 16, 7, 32, 64, 64]);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    const seed = networkCost(seedSpec('plain-cnn'));
    expect(plan.seedCost).toEqual({ flops: seed.flops, params: seed.params });
    expect(plan.seedCost.flops).toBeGreaterThan(networkCost(spec).flops);
  });

  it('builds an expanded spec, F(seed) from --spec', async () => {
    const expanded = join(dir, 'expanded.json');
    writeFileSync(expanded, formatSpec(uniformSpec(seedSpec('plain-cnn'), 1.5)));
    const out = join(dir, 'expanded');
    expect(
      await runExport(['--spec', 'plain-cnn', '--expanded', expanded, '--format', 'pytorch', '--out', out]),
    ).toBe(0);
    expect(parseSpec(readFileSync(join(out, 'spec.json'), 'utf8'))).toEqual(
      uniformSpec(seedSpec('plain-cnn'), 1.5),
    );
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    expect(plan.seedSpec).toEqual(seedSpec('plain-cnn'));
    expect(plan.seedCost.flops).toBe(networkCost(seedSpec('plain-cnn')).flops);
    expect(plan.net).toBe('plain-cnn');
  });

  it('refuses a structure that cuts the logits off', async () => {
    const alive = join(dir, 'alive_dead');
    writeFileSync(alive, JSON.stringify({ 'conv6/Conv2D': 0 }));
    expect(
      await usageError(['--spec', 'plain-cnn', '--alive', alive, '--format', 'pytorch', '--out', dir]),
    ).toBe(`export: ${alive} leaves no path from the image to the logits`);
  });

  it('refuses counts that give tied layers different widths', async () => {
    const alive = join(dir, 'alive_untied');
    writeFileSync(alive, JSON.stringify({ 'stem/Conv2D': 5 }));
    const args = ['--spec', 'resnet-mini', '--alive', alive, '--format', 'pytorch', '--out', dir];
    await expect(runExport(args)).rejects.toThrow(SpecError);
    await expect(runExport(args)).rejects.toThrow(
      `${alive}: layer "s1b1/add": field "from": inputs have unequal widths (5, 16)`,
    );
  });

  it('says what is wrong in one line', async () => {
    expect(await usageError(['--spec', 'plain-cnn', '--format', 'onnx', '--out', dir])).toBe(
      'export: --format must be pytorch, got "onnx"',
    );
    expect(await usageError(['--spec', 'plain-cnn', '--out', dir])).toBe(
      'export: --format is required (see morphnet export --help)',
    );
    expect(
      await usageError([
        '--spec',
        'plain-cnn',
        '--alive',
        'a',
        '--expanded',
        'b',
        '--format',
        'pytorch',
        '--out',
        dir,
      ]),
    ).toBe('export: give --alive or --expanded, not both');
  });
});
