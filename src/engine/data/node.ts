// The CLI's way in: the same loader as the page, fed from the disk. Kept apart from load.ts so
// that node:fs never reaches the worker bundle.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset, DatasetName } from '../types.ts';
import { DataError } from './format.ts';
import { loadDataset, type LoadProgress } from './load.ts';

/** public/data of the package this file belongs to, wherever it is installed or run from. */
export function defaultDataDir(): string {
  // Walk up to our own package.json, rather than counting '..', so the path survives a move of
  // this file or a bundled CLI.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'morphnet-studio') {
      return join(dir, 'public', 'data');
    }
    const up = dirname(dir);
    if (up === dir) return join(process.cwd(), 'public', 'data');
    dir = up;
  }
}

/** Loads a dataset from `dir`; a missing file says how to make it. */
export async function loadDatasetFromDisk(
  name: DatasetName,
  dir: string = defaultDataDir(),
  onProgress?: (p: LoadProgress) => void,
): Promise<Dataset> {
  const read = async (file: string): Promise<Uint8Array> => {
    const path = join(dir, file);
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new DataError(file, `missing from ${dir}: run npm install (it prepares the data)`);
      }
      throw new DataError(file, `could not read ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return loadDataset(name, { kind: 'bytes', read }, onProgress);
}
