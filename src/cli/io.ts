// Reading the CLI's inputs (a seed name or a spec file, a structure file) and writing its outputs,
// with file-system failures turned into one-line UsageErrors.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isSeedName, seedNames, seedSpec } from '../morphnet/seeds.ts';
import { parseSpec } from '../morphnet/spec.ts';
import { importStructure } from '../morphnet/structure.ts';
import type { AliveCounts, NetworkSpec } from '../morphnet/types.ts';
import { UsageError } from './errors.ts';

function fsReason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'cannot access';
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} "${path}": ${fsReason(e)}`);
  }
}

export function writeText(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${what} "${path}": ${fsReason(e)}`);
  }
}

/** `--spec NAME|FILE`: a built-in seed by name, otherwise a spec file. */
export function loadSpec(nameOrFile: string): NetworkSpec {
  if (isSeedName(nameOrFile)) return seedSpec(nameOrFile);
  if (!/[./\\]/.test(nameOrFile) && !existsSync(nameOrFile)) {
    throw new UsageError(
      `unknown seed "${nameOrFile}" (seeds: ${seedNames.join(', ')}; or give a spec file path)`,
    );
  }
  return parseSpec(readText(nameOrFile, 'spec file'), nameOrFile);
}

export function loadAlive(path: string, spec: NetworkSpec): AliveCounts {
  return importStructure(readText(path, 'alive-counts file'), spec, path);
}
