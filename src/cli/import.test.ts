// `morphnet import`, run through the real entry point (bin/morphnet.mjs) as a user would.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importKeras } from '../morphnet/import-keras.ts';
import { formatSpec, parseSpec } from '../morphnet/spec.ts';

const BIN = join(import.meta.dirname, '../../bin/morphnet.mjs');
const FIXTURES = join(import.meta.dirname, '../morphnet/testing/keras');
const dir = mkdtempSync(join(tmpdir(), 'morphnet-import-'));
for (const f of ['resnet-keras3.json', 'tfjs-sequential-model.json'])
  copyFileSync(join(FIXTURES, f), join(dir, f));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('morphnet import', () => {
  it('prints the spec of a Keras model, in the seeds layout', () => {
    const r = cli('import', '--from', 'keras', 'resnet-keras3.json');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const expected = importKeras(readFileSync(join(dir, 'resnet-keras3.json'), 'utf8'), 'resnet-keras3.json');
    expect(r.stdout).toBe(formatSpec(expected));
  });

  it('writes a tfjs model.json as a spec file that cost then reads', () => {
    const r = cli('import', '--from', 'tfjs', 'tfjs-sequential-model.json', '--out', 'imported.json');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('sequential_1: 5 layers, 28×28×1 input, 10 classes; wrote imported.json\n');
    const spec = parseSpec(readFileSync(join(dir, 'imported.json'), 'utf8'), 'imported.json');
    expect(spec.layers.map((l) => l.type)).toEqual(['conv', 'maxpool', 'conv', 'gap', 'dense']);
    expect(cli('cost', '--spec', 'imported.json', '--json').code).toBe(0);
  });

  it.each([
    [
      ['import', 'resnet-keras3.json'],
      'morphnet: import: --from is required (keras or tfjs) (see morphnet import --help)',
    ],
    [
      ['import', '--from', 'onnx', 'resnet-keras3.json'],
      'morphnet: import: --from must be keras or tfjs, got "onnx"',
    ],
    [
      ['import', '--from', 'keras'],
      'morphnet: import: give the model file to import (see morphnet import --help)',
    ],
    [['import', '--from', 'keras', 'a.json', 'b.json'], 'morphnet: import: one model file at a time, got 2'],
    [
      ['import', '--from', 'keras', 'missing.json'],
      'morphnet: cannot read Keras model file "missing.json": no such file',
    ],
    [
      ['import', '--from', 'keras', 'resnet-keras3.json', '--bogus'],
      'morphnet: import: unknown option --bogus (see morphnet import --help)',
    ],
    [
      ['import', '--from', 'keras', 'resnet-keras3.json', '--out', './resnet-keras3.json'],
      'morphnet: import: --out "./resnet-keras3.json" is the model file itself; choose another name',
    ],
  ])('%j: one line on stderr, exit 2', (args, message) => {
    const r = cli(...args);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `${message}\n`]);
  });

  it('names an unsupported layer and writes nothing', () => {
    const m = JSON.parse(readFileSync(join(dir, 'resnet-keras3.json'), 'utf8')) as {
      config: { layers: { class_name: string }[] };
    };
    (m.config.layers[5] as { class_name: string }).class_name = 'LayerNormalization';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(m));
    const r = cli('import', '--from', 'keras', 'bad.json', '--out', 'out.json');
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      'morphnet: bad.json: layer "b1_bn1" (LayerNormalization) is not supported: the studio builds conv, depthwise, add, concat, maxpool, global average pool and dense\n',
    );
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });
});
