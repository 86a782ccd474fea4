import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataError, encodeSplit } from './format.ts';
import { loadDataset, type DataSource, type LoadProgress } from './load.ts';

/** A tiny file in MNIST's shape: example i has label i % 10 and every pixel = i. */
function mnistLike(count: number, opts: { channels?: number } = {}): Uint8Array {
  const channels = opts.channels ?? 1;
  const px = 28 * 28 * channels;
  const images = new Uint8Array(count * px);
  for (let i = 0; i < count; i++) images.fill(i, i * px, (i + 1) * px);
  return encodeSplit({ height: 28, width: 28, channels, classes: 10, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), images });
}

function bytesSource(files: Record<string, Uint8Array>): DataSource {
  return {
    kind: 'bytes',
    read: (file) => (files[file] ? Promise.resolve(files[file]) : Promise.reject(new DataError(file, 'missing'))),
  };
}

async function failure(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
}

/** A streaming Response in chunks of `chunk` bytes, with or without Content-Length. */
function streamed(bytes: Uint8Array, chunk: number, withLength: boolean): Response {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
  return new Response(body, { headers: withLength ? { 'content-length': String(bytes.length) } : {} });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('loadDataset from bytes', () => {
  it('returns both splits as views with the class names', async () => {
    const ds = await loadDataset('mnist', bytesSource({ 'mnist-train.bin': mnistLike(12), 'mnist-test.bin': mnistLike(3) }));
    expect([ds.name, ds.height, ds.width, ds.channels, ds.classes]).toEqual(['mnist', 28, 28, 1, 10]);
    expect(ds.classNames[7]).toBe('7');
    expect([ds.train.count, ds.test.count]).toEqual([12, 3]);
    expect(ds.train.labels[11]).toBe(1);
    expect(ds.train.images[11 * 784 + 400]).toBe(11);
    expect(ds.test.images.length).toBe(3 * 784);
  });

  it('names Fashion-MNIST classes in the standard order', async () => {
    const ds = await loadDataset('fashion', bytesSource({ 'fashion-train.bin': mnistLike(2), 'fashion-test.bin': mnistLike(2) }));
    expect(ds.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  });

  it('rejects a corrupted or mis-shaped file, naming it', async () => {
    const test = mnistLike(3);
    test[test.length - 5]! ^= 1;
    const bad = await failure(loadDataset('mnist', bytesSource({ 'mnist-train.bin': mnistLike(3), 'mnist-test.bin': test })));
    expect(bad.message).toMatch(/^mnist-test\.bin: checksum mismatch/);
    const rgb = await failure(loadDataset('fashion', bytesSource({ 'fashion-train.bin': mnistLike(2, { channels: 3 }), 'fashion-test.bin': mnistLike(2) })));
    expect(rgb.message).toBe('fashion-train.bin: holds 28x28x3, 10 classes, but fashion is 28x28x1, 10 classes');
  });

  it('makes the shapes set without reading anything', async () => {
    const read = vi.fn();
    const progress: number[] = [];
    const ds = await loadDataset('shapes', { kind: 'bytes', read }, (p) => progress.push(p.fraction));
    expect([ds.name, ds.channels, ds.train.count]).toEqual(['shapes', 3, 2048]);
    expect(read).not.toHaveBeenCalled();
    expect(progress).toEqual([1]);
  });
});

describe('loadDataset from a URL', () => {
  const files: Record<string, Uint8Array> = { 'mnist-train.bin': mnistLike(40), 'mnist-test.bin': mnistLike(10) };

  for (const withLength of [true, false]) {
    it(`streams with progress ${withLength ? 'from Content-Length' : 'without Content-Length'}`, async () => {
      const urls: string[] = [];
      vi.stubGlobal('fetch', (url: string) => {
        urls.push(url);
        return Promise.resolve(streamed(files[url.slice('/base/'.length)]!, 5000, withLength));
      });
      const seen: LoadProgress[] = [];
      const ds = await loadDataset('mnist', { kind: 'url', base: '/base' }, (p) => seen.push(p));
      expect(urls).toEqual(['/base/mnist-train.bin', '/base/mnist-test.bin']);
      expect([ds.train.count, ds.test.count]).toEqual([40, 10]);
      expect(ds.test.images[9 * 784]).toBe(9);
      const fractions = seen.map((p) => p.fraction);
      expect(fractions.length).toBeGreaterThan(8);
      expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]!))).toBe(true);
      expect(fractions.at(-1)).toBe(1);
      const total = files['mnist-train.bin']!.length + files['mnist-test.bin']!.length;
      expect(seen.at(-1)).toMatchObject({ loaded: total, total, file: 'mnist-test.bin' });
      if (withLength) expect(seen.every((p) => p.total === total)).toBe(true);
    });
  }

  it('says what to do on HTTP 404', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('no', { status: 404 })));
    const err = await failure(loadDataset('fashion', { kind: 'url', base: 'data/' }));
    expect(err.message).toBe('fashion-train.bin: HTTP 404 for data/fashion-train.bin: run npm install (it prepares the data)');
  });

  it('recognises a dev server answering with its HTML page', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('<!doctype html><html></html>')));
    const err = await failure(loadDataset('mnist', { kind: 'url', base: '/' }));
    expect(err.message).toBe('mnist-train.bin: not a dataset file: bad magic (got an HTML page: the file is missing)');
  });

  it('reports a network failure as a DataError', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    const err = await failure(loadDataset('mnist', { kind: 'url', base: '/d/' }));
    expect(err.message).toBe('mnist-train.bin: could not fetch /d/mnist-train.bin: Failed to fetch');
  });
});
