// Spawns the real entry point (bin/morphnet.mjs through tsx), as a user would run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkCost } from '../morphnet/cost.ts';
import { seedSpec } from '../morphnet/seeds.ts';
import { parseSpec } from '../morphnet/spec.ts';
import { COMMAND_HELP } from './help.ts';

const BIN = join(import.meta.dirname, '../../bin/morphnet.mjs');
const dir = mkdtempSync(join(tmpdir(), 'morphnet-cli-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const workedExample = {
  name: 'worked-example',
  input: { height: 32, width: 32, channels: 3 },
  classes: 10,
  layers: [
    { name: 'conv1', type: 'conv', from: 'input', filters: 16, kernel: 3 },
    { name: 'conv2', type: 'conv', from: 'conv1', filters: 32, kernel: 3, stride: 2 },
    { name: 'pool', type: 'gap', from: 'conv2' },
    { name: 'logits', type: 'dense', from: 'pool', units: 10 },
  ],
};
writeFileSync(join(dir, 'example.json'), JSON.stringify(workedExample));

describe('morphnet CLI', () => {
  it('cost --json prints the worked example (MORPHNET.md §3)', () => {
    const r = cli('cost', '--spec', 'example.json', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '{"layers":[{"name":"conv1","flops":884736,"params":432},{"name":"conv2","flops":2359296,"params":4608},' +
        '{"name":"logits","flops":640,"params":320}],"flops":3244672,"params":5360}\n',
    );
  });

  it('cost --alive reads the reference format', () => {
    writeFileSync(join(dir, 'alive_10'), '{\n  "conv1/Conv2D": 8,\n  "conv2/Conv2D": 4\n}');
    const r = cli('cost', '--spec', 'example.json', '--alive', 'alive_10', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({
      flops: 18_432 * 24 + 4_608 * 32 + 80,
      params: 9 * 24 + 9 * 32 + 40,
    });
  });

  it('a bad spec gives one line on stderr and exit code 2', () => {
    const bad = structuredClone(workedExample) as { layers: unknown[] };
    bad.layers.splice(2, 0, { name: 's1b1/add', type: 'add', from: ['conv1', 'conv2'] });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const r = cli('cost', '--spec', 'bad.json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'morphnet: bad.json: layer "s1b1/add": field "from": inputs have unequal widths (16, 32)\n',
    );
  });

  it.each([
    [['cost'], 'morphnet: cost: --spec is required (see morphnet cost --help)\n'],
    [
      ['cost', '--spec', 'resnet-mini', '--bogus'],
      'morphnet: cost: unknown option --bogus (see morphnet cost --help)\n',
    ],
    [['cost', '--spec', 'missing.json'], 'morphnet: cannot read spec file "missing.json": no such file\n'],
    [
      ['frobnicate'],
      `morphnet: unknown command "frobnicate" (commands: ${Object.keys(COMMAND_HELP).join(', ')}; see morphnet --help)\n`,
    ],
    [
      ['expand', '--spec', 'example.json', '--alive', 'alive_10', '--target', 'speed', '--out', 'x.json'],
      'morphnet: expand: --target must be flops, size or latency, got "speed"\n',
    ],
  ])('rejects %j with exit code 2', (args, stderr) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(stderr);
  });

  it('expand writes a valid spec within the seed budget', () => {
    writeFileSync(
      join(dir, 'alive_r'),
      JSON.stringify({ 'stem/Conv2D': 8, 's1b1/conv1/Conv2D': 0, 's3b2/conv1/Conv2D': 20 }),
    );
    const r = cli(
      'expand',
      '--spec',
      'resnet-mini',
      '--alive',
      'alive_r',
      '--target',
      'size',
      '--out',
      'wide.json',
    );
    expect(r.code).toBe(0);
    const spec = parseSpec(readFileSync(join(dir, 'wide.json'), 'utf8'), 'wide.json');
    const seed = networkCost(seedSpec('resnet-mini')).params;
    const params = networkCost(spec).params;
    expect(params).toBeLessThanOrEqual(seed);
    expect(params).toBeGreaterThan(0.95 * seed);
    expect(spec.layers.map((l) => l.name)).not.toContain('s1b1/conv1');
    expect(r.stdout).toMatch(/^ω = \d+\.\d{4} \(size budget 173,840, the seed's cost\)\n/);
    expect(r.stdout).toContain(`params ${params.toLocaleString('en-US')} (`);
  });

  it('--help documents every command and flag', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const flag of [
      '--spec',
      '--alive',
      '--json',
      '--target',
      '--budget',
      '--out',
      '--dataset',
      '--strength',
      '--threshold',
      '--steps',
      '--batch',
      '--lr',
      '--seed',
      '--backend',
      '--eval-every',
      '--multipliers',
      '--prune',
      '--finetune',
      '--strengths',
      '--budgets',
      '--resume',
      '--force',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
