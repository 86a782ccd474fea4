// Reading the CLI's inputs (a seed name or a spec file, a structure file) and writing its outputs,
// with file-system failures turned into one-line UsageErrors. Every output is written atomically
// (a temp file in the same directory, then a rename): a reader or a crash never sees half a file.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isSeedName, seedNames, seedSpec } from '../morphnet/seeds.ts';
import { parseSpec } from '../morphnet/spec.ts';
import { importStructure } from '../morphnet/structure.ts';
import type { AliveCounts, NetworkSpec } from '../morphnet/types.ts';
import { UsageError } from './errors.ts';

function fsReason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EEXIST') return 'it exists and is not a directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on the device';
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'cannot access';
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} "${path}": ${fsReason(e)}`);
  }
}

/** The temp file an atomic write of `path` goes through: same directory, so the rename is atomic. */
const tempOf = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);

/** Writes `path` whole or not at all: a temp file beside it, then a rename over it. */
export function writeText(path: string, text: string | Uint8Array, what: string): void {
  const temp = tempOf(path);
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new UsageError(`cannot write ${what} "${path}": ${fsReason(e)}`);
  }
}

/**
 * Fails now, with the reason, if `path` could not be written later: its directory is missing or
 * not writable, or `path` is a directory. Run before any training, so no work is lost to it.
 */
export function checkWritable(command: string, path: string, what: string): void {
  const dir = dirname(path);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    /* missing: said below */
  }
  if (!isDir) throw new UsageError(`${command}: cannot write ${what} "${path}": the directory "${dir}" does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`${command}: cannot write ${what} "${path}": it is a directory`);
  }
  probe(path, (reason) => `${command}: cannot write ${what} "${path}": ${reason}`);
}

/** Only writing tells (permissions, read-only mounts, ACLs): a probe file beside `path`, removed at once. */
function probe(path: string, message: (reason: string) => string): void {
  const temp = tempOf(path);
  try {
    writeFileSync(temp, '');
  } catch (e) {
    throw new UsageError(message(fsReason(e)));
  } finally {
    rmSync(temp, { force: true });
  }
}

/** `dir` and its parents, made now and checked writable. */
export function makeDir(command: string, dir: string, what: string): void {
  // Probe the nearest directory that exists first: Node's recursive mkdir under a pseudo file
  // system such as /proc spins forever instead of failing (seen: --out /proc/nope/x hung).
  let base = dirname(dir);
  while (!existsSync(base) && dirname(base) !== base) base = dirname(base);
  if (!existsSync(dir) && statSync(base).isDirectory()) {
    probe(join(base, 'probe'), (reason) => `${command}: cannot create ${what} "${dir}": ${reason}`);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`${command}: cannot create ${what} "${dir}": ${fsReason(e)}`);
  }
  probe(join(dir, 'probe'), (reason) => `${command}: cannot write to ${what} "${dir}": ${reason}`);
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
