// The learned structure in the reference's format (MORPHNET.md §6): `{ "<layer>/Conv2D": n }`,
// keys sorted, indented by 2, so a structure learned here can be rebuilt with TensorFlow or PyTorch.
import { MAX_SPEC_BYTES } from './spec.ts';
import { printable, shownValue } from './spec-limits.ts';
import { inferShapes, shapeChannels } from './shape.ts';
import type { AliveCounts, NetworkSpec, TensorShape } from './types.ts';
import { emptyRecord, own } from './records.ts';

export class StructureError extends Error {
  override name = 'StructureError';
}

/** The reference's op names: `<layer>/Conv2D` for a conv, `<layer>/depthwise` for a depthwise conv. */
export function structureKeys(spec: NetworkSpec): Map<string, { layer: string; width: number }> {
  const shapes = inferShapes(spec);
  const keys = new Map<string, { layer: string; width: number }>();
  for (const l of spec.layers) {
    if (l.type !== 'conv' && l.type !== 'depthwise') continue;
    const suffix = l.type === 'conv' ? 'Conv2D' : 'depthwise';
    keys.set(`${l.name}/${suffix}`, { layer: l.name, width: shapeChannels(shapes[l.name] as TensorShape) });
  }
  return keys;
}

/** The file's text: every conv and depthwise layer, a missing count meaning fully alive. */
export function exportStructure(spec: NetworkSpec, alive: AliveCounts): string {
  const entries = [...structureKeys(spec)].map(
    ([key, { layer, width }]) => [key, own(alive, layer) ?? width] as const,
  );
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries), null, 2);
}

/** Reads a structure file for `spec`, checking every name and count; `source` names it in errors. */
export function importStructure(text: string, spec: NetworkSpec, source = 'structure'): AliveCounts {
  if (text.length > MAX_SPEC_BYTES) throw new StructureError(`${source}: file is over the 1 MB limit`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    throw new StructureError(`${source}: not valid JSON: ${msg}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StructureError(`${source}: must be a JSON object from "<layer>/Conv2D" to an alive count`);
  }
  const keys = structureKeys(spec);
  const alive: AliveCounts = emptyRecord();
  for (const [key, n] of Object.entries(value)) {
    const entry = keys.get(key);
    if (entry === undefined) {
      throw new StructureError(
        `${source}: key "${printable(key)}": spec "${spec.name}" has no such conv (keys are "<layer>/Conv2D" or "<layer>/depthwise")`,
      );
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > entry.width) {
      throw new StructureError(
        `${source}: key "${key}": count must be an integer from 0 to ${entry.width}, got ${shownValue(n)}`,
      );
    }
    alive[entry.layer] = n;
  }
  return alive;
}
