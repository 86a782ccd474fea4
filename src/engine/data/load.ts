// Loads a dataset for the engine, from a URL (the page's worker fetches its own origin) or from
// a byte reader (the CLI reads the disk through ./node.ts). No node:* here: the worker bundles it.
import type { Dataset, DatasetName } from '../types.ts';
import { DataError, decodeSplit, encodedLength, type DecodedSplit } from './format.ts';
import { SHAPES_SEED, makeShapes } from './shapes.ts';

export type DataSource =
  /** `base` ends in a slash or gets one: `${base}mnist-train.bin`. Relative to the page or worker. */
  | { kind: 'url'; base: string }
  | { kind: 'bytes'; read: (file: string) => Promise<Uint8Array> };

export interface LoadProgress {
  dataset: DatasetName;
  /** The file being read, or '' for the generated set. */
  file: string;
  /** Bytes so far and in all, over both files of the dataset. */
  loaded: number;
  total: number;
  /** loaded / total, exactly 1 once the dataset is ready. */
  fraction: number;
}

export type FileDatasetName = Exclude<DatasetName, 'shapes'>;
type Part = 'train' | 'test';

interface FileDatasetInfo {
  files: { train: string; test: string };
  /** What prepare-data.mjs writes; a file that disagrees is rejected. */
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  /** Expected examples, for progress before a response says its length. */
  counts: { train: number; test: number };
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const FILE_DATASETS: Record<FileDatasetName, FileDatasetInfo> = {
  mnist: {
    files: { train: 'mnist-train.bin', test: 'mnist-test.bin' },
    height: 28,
    width: 28,
    channels: 1,
    classNames: DIGITS,
    counts: { train: 60000, test: 10000 },
  },
  fashion: {
    files: { train: 'fashion-train.bin', test: 'fashion-test.bin' },
    height: 28,
    width: 28,
    channels: 1,
    // Fashion-MNIST's label order; prepare-data.mjs takes class c from the package's c.json.
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    counts: { train: 60000, test: 10000 },
  },
};

/** Loads and validates both splits. Throws DataError (one line, naming the file) on any problem. */
export async function loadDataset(name: DatasetName, source: DataSource, onProgress?: (p: LoadProgress) => void): Promise<Dataset> {
  if (name === 'shapes') {
    const data = makeShapes({ seed: SHAPES_SEED });
    onProgress?.({ dataset: name, file: '', loaded: 1, total: 1, fraction: 1 });
    return data;
  }
  const info = FILE_DATASETS[name];
  const sizes = {
    train: encodedLength(info.counts.train, info.height, info.width, info.channels),
    test: encodedLength(info.counts.test, info.height, info.width, info.channels),
  };
  let done = 0;
  let total = sizes.train + sizes.test;
  const report = (file: string, loaded: number) => {
    const at = Math.min(done + loaded, total);
    onProgress?.({ dataset: name, file, loaded: at, total, fraction: at === total ? 1 : at / total });
  };
  // Known lengths replace the estimates, so the bar is exact and ends at 100%.
  const setSize = (part: Part, bytes: number) => {
    total += bytes - sizes[part];
    sizes[part] = bytes;
  };
  let fetchPart: (part: Part) => Promise<Uint8Array>;
  if (source.kind === 'url') {
    // Both requests start together: both lengths are known before the first byte is reported,
    // and the second response waits (back-pressure) while the first body streams.
    const open = (part: Part) => openUrl(info.files[part], joinUrl(source.base, info.files[part]));
    const opened = { train: open('train'), test: open('test') };
    opened.test.catch(() => undefined); // reported when awaited, not as an unhandled rejection
    for (const part of ['train', 'test'] as const) {
      const { length } = await opened[part];
      if (length !== null) setSize(part, length);
    }
    fetchPart = async (part) => readBody(info.files[part], await opened[part], sizes[part], (loaded) => report(info.files[part], loaded));
  } else {
    fetchPart = (part) => source.read(info.files[part]);
  }
  const read = async (part: Part): Promise<DecodedSplit> => {
    const file = info.files[part];
    const bytes = await fetchPart(part);
    setSize(part, bytes.length);
    const split = decodeSplit(file, bytes);
    checkShape(file, name, split, info);
    done += bytes.length;
    report(file, 0);
    return split;
  };
  const train = await read('train');
  const test = await read('test');
  const strip = ({ images, labels, count }: DecodedSplit) => ({ images, labels, count });
  return {
    name,
    height: info.height,
    width: info.width,
    channels: info.channels,
    classes: info.classNames.length,
    classNames: [...info.classNames],
    train: strip(train),
    test: strip(test),
  };
}

function checkShape(file: string, name: FileDatasetName, split: DecodedSplit, info: FileDatasetInfo): void {
  const got = `${split.height}x${split.width}x${split.channels}, ${split.classes} classes`;
  const want = `${info.height}x${info.width}x${info.channels}, ${info.classNames.length} classes`;
  if (got !== want) throw new DataError(file, `holds ${got}, but ${name} is ${want}`);
  if (split.count === 0) throw new DataError(file, 'holds no examples');
}

function joinUrl(base: string, file: string): string {
  return base.endsWith('/') ? `${base}${file}` : `${base}/${file}`;
}

interface Opened {
  url: string;
  res: Response;
  /** The body's length where the server says it, else null. */
  length: number | null;
}

async function openUrl(file: string, url: string): Promise<Opened> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new DataError(file, `could not fetch ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!res.ok) throw new DataError(file, `HTTP ${res.status} for ${url}: run npm install (it prepares the data)`);
  const header = Number(res.headers.get('content-length'));
  // A compressed response's Content-Length is not the body's length: then keep the estimate.
  const length = Number.isFinite(header) && header > 0 && !res.headers.get('content-encoding') ? header : null;
  return { url, res, length };
}

/**
 * Reads a body, reporting bytes as it streams in. Fills one buffer sized from the expected
 * length and grows it only if the body is longer, so a 47 MB split never sits in memory twice
 * as a list of chunks plus their concatenation.
 */
async function readBody(file: string, { url, res }: Opened, expected: number, onBytes: (loaded: number) => void): Promise<Uint8Array> {
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    onBytes(bytes.length);
    return bytes;
  }
  let buf = new Uint8Array(expected);
  let loaded = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.length > buf.length) {
        const bigger = new Uint8Array(Math.max(buf.length * 2, loaded + value.length));
        bigger.set(buf.subarray(0, loaded));
        buf = bigger;
      }
      buf.set(value, loaded);
      loaded += value.length;
      onBytes(loaded);
    }
  } catch (err) {
    throw new DataError(file, `download of ${url} failed after ${loaded} bytes: ${err instanceof Error ? err.message : String(err)}`);
  }
  return buf.subarray(0, loaded);
}
