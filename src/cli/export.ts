// `morphnet export --format pytorch`: the network as a small PyTorch package (src/export/), the
// Python sources read from pytorch/morphnet_torch beside this repository's src/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pruneSpec } from '../morphnet/expand.ts';
import { isSeedName } from '../morphnet/seeds.ts';
import { validateSpec } from '../morphnet/spec.ts';
import { PYTORCH_SOURCES, pytorchPackage, type PackageOptions } from '../export/pytorch.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import { parseCommandArgs, required } from './args.ts';
import { UsageError } from './errors.ts';
import { loadAlive, loadSpec, writeText } from './io.ts';

const SOURCES_DIR = fileURLToPath(new URL('../../pytorch/morphnet_torch/', import.meta.url));

/** The Python sources of the package, from this checkout. */
export function readPytorchSources(): Record<string, string> {
  return Object.fromEntries(
    PYTORCH_SOURCES.map((name) => [name, readFileSync(join(SOURCES_DIR, name), 'utf8')]),
  );
}

/**
 * Writes the PyTorch package of `spec` into `dir` (made if missing) and returns the file names:
 * what `export` does, for commands that run train.py themselves (`train --engine pytorch`).
 */
export function writePytorchPackage(dir: string, spec: NetworkSpec, opts: PackageOptions = {}): string[] {
  const files = pytorchPackage(spec, readPytorchSources(), opts);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`export: cannot create "${dir}": ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const [name, text] of Object.entries(files)) writeText(join(dir, name), text, 'package file');
  return Object.keys(files);
}

export async function runExport(argv: string[]): Promise<number> {
  const v = parseCommandArgs('export', argv, {
    spec: { type: 'string' },
    alive: { type: 'string' },
    expanded: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  });
  const specArg = required('export', 'spec', v.spec);
  const format = required('export', 'format', v.format);
  if (format !== 'pytorch') throw new UsageError(`export: --format must be pytorch, got "${format}"`);
  const out = required('export', 'out', v.out);
  if (v.alive !== undefined && v.expanded !== undefined) {
    throw new UsageError('export: give --alive or --expanded, not both');
  }
  const seed = loadSpec(specArg);
  let spec = seed;
  if (v.expanded !== undefined) spec = loadSpec(v.expanded);
  if (v.alive !== undefined) {
    const pruned = pruneSpec(seed, loadAlive(v.alive, seed));
    if (pruned === null)
      throw new UsageError(`export: ${v.alive} leaves no path from the image to the logits`);
    // Tied layers given different counts by hand would make an add of unequal widths: say so.
    spec = validateSpec(pruned, v.alive);
  }
  // The run file's `net` names the seed; the network trained may be an expansion of it.
  const net = isSeedName(specArg) ? specArg : null;
  const names = writePytorchPackage(out, spec, { seed, net });
  process.stdout.write(`wrote a PyTorch package for ${spec.name} to ${out} (${names.join(', ')})\n`);
  return 0;
}
