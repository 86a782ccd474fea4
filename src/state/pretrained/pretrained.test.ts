// The shipped-weights format and "Start from"'s loading: checksum, decoding, the fallback to
// untrained in one plain line, and the choice in the URL.
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { useStudio } from '../store.ts';
import { decodePretrained, halfToFloat, PretrainedError } from './format.ts';
import { choicesFor, parseIndex } from './manifest.ts';
import {
  setPretrainedSource,
  startFromUrl,
  startWeightsNow,
  useStartFrom,
  whenStartReady,
  withStartQuery,
  type StartWeights,
} from './start.ts';

/** A file as scripts/assets/pretrain.py writes one, of halves given as bits. */
function encode(header: object, halves: number[]): Uint8Array {
  let text = JSON.stringify({ format: 'morphnet-pretrained', encoding: 'float16', ...header });
  text += ' '.repeat((4 - (new TextEncoder().encode(text).length % 4)) % 4);
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(12 + h.length + 2 * halves.length);
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode('MNPT'), 0);
  v.setUint16(4, 1, true);
  v.setUint32(8, h.length, true);
  out.set(h, 12);
  halves.forEach((x, i) => v.setUint16(12 + h.length + 2 * i, x, true));
  return out;
}

const HEADER = {
  net: 'resnet-mini',
  dataset: 'mnist',
  tensors: [
    { key: 'stem/gamma', shape: [2] },
    { key: 'logits/kernel', shape: [1, 2] },
  ],
};
// 1, 0.5, -2, 0
const FILE = encode(HEADER, [0x3c00, 0x3800, 0xc000, 0x0000]);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const entry = (file: string, bytes: Uint8Array) => ({
  net: 'resnet-mini',
  dataset: 'mnist',
  file,
  bytes: bytes.length,
  sha256: sha(bytes),
  testAccuracy: 0.99,
  testExamples: 10000,
  checkAccuracy: 0.99,
  checkExamples: 1000,
});
const INDEX = { format: 'morphnet-pretrained-index', version: 1, files: [entry('resnet-mini-mnist.bin', FILE)] };

function serve(files: Record<string, Uint8Array | string>) {
  const fetched: string[] = [];
  setPretrainedSource({
    base: '/p/',
    fetch: (u) => {
      fetched.push(u);
      const body = files[u.slice(3)];
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      return Promise.resolve({
        ok: bytes !== undefined,
        status: bytes === undefined ? 404 : 200,
        text: () => Promise.resolve(new TextDecoder().decode(bytes)),
        arrayBuffer: () => Promise.resolve(bytes!.slice().buffer),
      });
    },
  });
  return fetched;
}

const on = (name: string, dataset: 'mnist' | 'shapes' = 'mnist') => ({ net: { kind: 'builtin' as const, name }, dataset });
function start(config: ReturnType<typeof on>): Promise<StartWeights | undefined> {
  return new Promise((resolve) => whenStartReady(config, resolve));
}

describe('format', () => {
  it('decodes halves exactly, subnormals and infinities included', () => {
    expect([0x3c00, 0x3800, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000].map(halfToFloat)).toEqual([
      1,
      0.5,
      -2,
      65504,
      2 ** -24,
      Infinity,
      -0,
    ]);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('reads every tensor by its key and shape', () => {
    const { header, weights } = decodePretrained(FILE);
    expect(header.net).toBe('resnet-mini');
    expect(Object.keys(weights)).toEqual(['stem/gamma', 'logits/kernel']);
    expect(weights['stem/gamma']).toEqual({ shape: [2], values: Float32Array.from([1, 0.5]) });
    expect(weights['logits/kernel']).toEqual({ shape: [1, 2], values: Float32Array.from([-2, 0]) });
  });

  it('refuses a file cut short, with the wrong magic, or another encoding', () => {
    expect(() => decodePretrained(FILE.subarray(0, FILE.length - 2))).toThrow(
      new PretrainedError(`are ${FILE.length - 2} bytes where their header needs ${FILE.length}`),
    );
    const bad = FILE.slice();
    bad[0] = 0x58;
    expect(() => decodePretrained(bad)).toThrow('are not a weights file');
    expect(() => decodePretrained(encode({ ...HEADER, encoding: 'int8' }, [0, 0, 0, 0]))).toThrow(
      'use an encoding this page cannot read (int8)',
    );
  });
});

describe('index', () => {
  it('offers untrained and each dataset a file ships for, for that network only', () => {
    const index = parseIndex(JSON.stringify(INDEX));
    expect(choicesFor(index, 'resnet-mini')).toEqual(['untrained', 'mnist']);
    expect(choicesFor(index, 'plain-cnn')).toEqual(['untrained']);
    expect(choicesFor(index, null)).toEqual(['untrained']);
    expect(choicesFor(null, 'resnet-mini')).toEqual(['untrained']);
  });

  it('refuses a file name that leaves its folder', () => {
    const bad = { ...INDEX, files: [{ ...INDEX.files[0], file: '../data/mnist-test.bin' }] };
    expect(() => parseIndex(JSON.stringify(bad))).toThrow('the list of trained weights is damaged (resnet-mini: a bad file name)');
  });
});

describe('start from', () => {
  const url = { search: '', read: () => url.search, write: (s: string) => void (url.search = s) };
  beforeEach(() => {
    useStudio.setState({ notice: null });
    url.search = '?start=mnist&lr=0.01';
    expect(startFromUrl(url)).toEqual([]);
  });

  it('loads the weights once the checksum matches, and keeps them for a restarted worker', async () => {
    const fetched = serve({ 'index.json': JSON.stringify(INDEX), 'resnet-mini-mnist.bin': FILE });
    const w = await start(on('resnet-mini'));
    expect(w?.['stem/gamma']?.values).toEqual(Float32Array.from([1, 0.5]));
    expect(fetched).toEqual(['/p/index.json', '/p/resnet-mini-mnist.bin']);
    expect(startWeightsNow(on('resnet-mini'))).toBe(w);
    expect(await start(on('resnet-mini'))).toBe(w);
    expect(fetched.length).toBe(2);
    expect(useStudio.getState().notice).toBeNull();
    expect(withStartQuery('?lr=0.01')).toBe('?lr=0.01&start=mnist');
  });

  it('a file that fails its checksum: one plain notice, untrained, and the link says so', async () => {
    const damaged = FILE.slice();
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 1;
    serve({ 'index.json': JSON.stringify(INDEX), 'resnet-mini-mnist.bin': damaged });
    expect(await start(on('resnet-mini'))).toBeUndefined();
    expect(useStudio.getState().notice).toBe(
      'The weights of resnet-mini trained on MNIST failed their checksum, so it starts untrained.',
    );
    expect(useStartFrom.getState().choice).toBe('untrained');
    expect(url.search).toBe('?lr=0.01');
    expect(withStartQuery('')).toBe('');
  });

  it('a missing file or list: the same, in its own words', async () => {
    serve({ 'index.json': JSON.stringify(INDEX) });
    expect(await start(on('resnet-mini'))).toBeUndefined();
    expect(useStudio.getState().notice).toBe(
      'The weights of resnet-mini trained on MNIST could not be downloaded (HTTP 404), so it starts untrained.',
    );
    startFromUrl({ read: () => '?start=mnist', write: () => {} });
    serve({});
    expect(await start(on('plain-cnn'))).toBeUndefined();
    expect(useStudio.getState().notice).toBe(
      'The weights of plain-cnn trained on MNIST could not be listed, so it starts untrained.',
    );
  });

  it('an imported network, or the shapes set, starts untrained at once with no fetch', () => {
    const fetched = serve({});
    const got: (StartWeights | undefined)[] = [];
    whenStartReady({ net: { kind: 'spec', spec: {} as never }, dataset: 'mnist' }, (w) => got.push(w));
    whenStartReady(on('resnet-mini', 'shapes'), (w) => got.push(w));
    expect(got).toEqual([undefined, undefined]);
    expect(fetched).toEqual([]);
  });

  it('names a start= it does not know and uses untrained', () => {
    expect(startFromUrl({ read: () => '?start=imagenet', write: () => {} })).toEqual([
      { key: 'start', value: 'imagenet', message: '"start=imagenet" is not valid (expected untrained, mnist, fashion); using untrained.' },
    ]);
    expect(useStartFrom.getState().choice).toBe('untrained');
  });
});
