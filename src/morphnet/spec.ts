// Parsing and validating the public network-spec format (issue 2, "The network spec"). Every
// problem becomes one SpecError line naming the source, the layer and the field, because users
// import their own specs and must be able to fix them without reading a stack trace.
import { isShapeProblem, layerOutputShape } from './shape.ts';
import type { Layer, LayerType, NetworkSpec, TensorShape } from './types.ts';
import { emptyRecord } from './records.ts';
import { SpecError } from './spec-error.ts';
import { costLimit, fieldLimit, inputLimit, MAX_LAYERS, nameProblem, printable, shapeLimit, shownValue } from './spec-limits.ts';
import type { LimitProblem } from './spec-limits.ts';

export const MAX_SPEC_BYTES = 1024 * 1024;

export { SpecError };

const LAYER_FIELDS: Record<LayerType, { required: string[]; optional: string[] }> = {
  conv: { required: ['filters', 'kernel'], optional: ['stride', 'bn', 'relu'] },
  depthwise: { required: ['kernel'], optional: ['stride', 'multiplier', 'bn', 'relu'] },
  add: { required: [], optional: ['relu'] },
  concat: { required: [], optional: [] },
  maxpool: { required: ['kernel'], optional: ['stride'] },
  gap: { required: [], optional: [] },
  dense: { required: ['units'], optional: ['relu'] },
};
const BOOLEAN_FIELDS = new Set(['bn', 'relu']);
const MULTI_INPUT: ReadonlySet<LayerType> = new Set(['add', 'concat']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const shown = shownValue;

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
}

/** Parses and validates a spec from JSON text; `source` names it in errors (a file name). */
export function parseSpec(text: string, source = 'spec'): NetworkSpec {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_SPEC_BYTES) {
    throw new SpecError(source, null, null, `file is ${bytes} bytes, over the 1 MB limit`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'bad JSON';
    const pos = /position (\d+)/.exec(msg);
    const at = pos?.[1] === undefined ? '' : ` (${lineColumn(text, Number(pos[1]))})`;
    throw new SpecError(source, null, null, `not valid JSON: ${msg}${at}`);
  }
  return validateSpec(value, source);
}

function positiveInt(source: string, layer: string | null, field: string, v: unknown): number {
  if (v === undefined) throw new SpecError(source, layer, field, 'missing');
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new SpecError(source, layer, field, `must be a positive integer, got ${shown(v)}`);
  }
  return v;
}

function refuse(source: string, layer: string | null, problem: LimitProblem | null): void {
  if (problem !== null) throw new SpecError(source, layer, problem.field, problem.message);
}

/**
 * Checks an untrusted value against the format and returns a normalized copy with every default
 * written out: conv/depthwise stride 1, multiplier 1, bn and relu true; maxpool stride = kernel;
 * add relu true; dense relu true except on the last layer (the logits), where it must be false.
 */
export function validateSpec(value: unknown, source: string): NetworkSpec {
  if (!isRecord(value)) throw new SpecError(source, null, null, 'must be a JSON object');
  const name = value['name'];
  if (typeof name !== 'string' || name === '') {
    throw new SpecError(
      source,
      null,
      'name',
      name === undefined ? 'missing' : `must be a non-empty string, got ${shown(name)}`,
    );
  }
  const badName = nameProblem(name);
  if (badName !== null) throw new SpecError(source, null, 'name', badName);
  const input = value['input'];
  if (!isRecord(input))
    throw new SpecError(source, null, 'input', input === undefined ? 'missing' : 'must be an object');
  const shape = {
    height: positiveInt(source, null, 'input.height', input['height']),
    width: positiveInt(source, null, 'input.width', input['width']),
    channels: positiveInt(source, null, 'input.channels', input['channels']),
  };
  const classes = positiveInt(source, null, 'classes', value['classes']);
  refuse(source, null, inputLimit(shape, classes));
  const rawLayers = value['layers'];
  if (!Array.isArray(rawLayers)) {
    throw new SpecError(source, null, 'layers', rawLayers === undefined ? 'missing' : 'must be an array');
  }
  if (rawLayers.length === 0) throw new SpecError(source, null, 'layers', 'must list at least one layer');
  if (rawLayers.length > MAX_LAYERS) {
    throw new SpecError(source, null, 'layers', `${rawLayers.length} layers is over the limit of ${MAX_LAYERS}`);
  }

  const allNames = new Set(
    rawLayers.map((l) => (isRecord(l) ? l['name'] : undefined)).filter((n) => typeof n === 'string'),
  );
  const shapes = new Map<string, TensorShape>([['input', { kind: 'map', ...shape }]]);
  const layers: Layer[] = [];
  rawLayers.forEach((raw, index) => {
    const isLast = index === rawLayers.length - 1;
    const layer = validateLayer(source, raw, index, isLast, shapes, allNames);
    const where = `"${layer.name}"`;
    const ins = (typeof layer.from === 'string' ? [layer.from] : layer.from).map(
      (n) => shapes.get(n) as TensorShape,
    );
    const out = layerOutputShape(layer, ins);
    if (isShapeProblem(out)) throw new SpecError(source, where, out.field, out.message);
    refuse(source, where, shapeLimit(layer, ins[0] as TensorShape, out));
    shapes.set(layer.name, out);
    layers.push(layer);
  });
  const last = layers[layers.length - 1] as Layer;
  if (last.type !== 'dense') {
    throw new SpecError(
      source,
      `"${last.name}"`,
      'type',
      `the last layer gives the logits and must be dense, got "${last.type}"`,
    );
  }
  if (last.units !== classes) {
    throw new SpecError(
      source,
      `"${last.name}"`,
      'units',
      `the last layer gives the logits and must have ${classes} units (classes), got ${last.units}`,
    );
  }
  const spec = { name, input: shape, classes, layers };
  refuse(source, null, costLimit(spec));
  return spec;
}

function validateLayer(
  source: string,
  raw: unknown,
  index: number,
  isLast: boolean,
  known: Map<string, TensorShape>,
  allNames: Set<unknown>,
): Layer {
  let where = `#${index + 1}`;
  if (!isRecord(raw)) throw new SpecError(source, where, null, 'must be an object');
  const name = raw['name'];
  if (typeof name !== 'string' || name === '') {
    throw new SpecError(
      source,
      where,
      'name',
      name === undefined ? 'missing' : `must be a non-empty string, got ${shown(name)}`,
    );
  }
  const badName = nameProblem(name);
  if (badName !== null) throw new SpecError(source, where, 'name', badName);
  where = `"${name}"`;
  if (name === 'input') throw new SpecError(source, where, 'name', '"input" is reserved for the image');
  if (known.has(name)) throw new SpecError(source, where, 'name', 'duplicate name');
  const type = raw['type'];
  if (typeof type !== 'string' || !Object.hasOwn(LAYER_FIELDS, type)) {
    const allowed = Object.keys(LAYER_FIELDS).join(', ');
    throw new SpecError(
      source,
      where,
      'type',
      type === undefined ? `missing (one of ${allowed})` : `unknown type ${shown(type)} (one of ${allowed})`,
    );
  }
  const t = type as LayerType;
  const fields = LAYER_FIELDS[t];
  for (const key of Object.keys(raw)) {
    if (
      key !== 'name' &&
      key !== 'type' &&
      key !== 'from' &&
      !fields.required.includes(key) &&
      !fields.optional.includes(key)
    ) {
      throw new SpecError(source, where, printable(key), `unknown field for a ${t} layer`);
    }
  }
  const from = validateFrom(source, where, name, t, raw['from'], known, allNames);
  const num = emptyRecord<number>();
  const bool = emptyRecord<boolean>();
  for (const key of [...fields.required, ...fields.optional]) {
    const v = raw[key];
    if (BOOLEAN_FIELDS.has(key)) {
      if (v !== undefined && typeof v !== 'boolean')
        throw new SpecError(source, where, key, `must be true or false, got ${shown(v)}`);
      if (typeof v === 'boolean') bool[key] = v;
    } else if (v !== undefined || fields.required.includes(key)) {
      num[key] = positiveInt(source, where, key, v);
      refuse(source, where, fieldLimit(key, num[key]));
    }
  }
  const n = (k: string): number => num[k] as number;
  switch (t) {
    case 'conv':
      return {
        name,
        type: t,
        from: from as string,
        filters: n('filters'),
        kernel: n('kernel'),
        stride: num['stride'] ?? 1,
        bn: bool['bn'] ?? true,
        relu: bool['relu'] ?? true,
      };
    case 'depthwise':
      return {
        name,
        type: t,
        from: from as string,
        kernel: n('kernel'),
        stride: num['stride'] ?? 1,
        multiplier: num['multiplier'] ?? 1,
        bn: bool['bn'] ?? true,
        relu: bool['relu'] ?? true,
      };
    case 'add':
      return { name, type: t, from: from as string[], relu: bool['relu'] ?? true };
    case 'concat':
      return { name, type: t, from: from as string[] };
    case 'maxpool':
      return {
        name,
        type: t,
        from: from as string,
        kernel: n('kernel'),
        stride: num['stride'] ?? n('kernel'),
      };
    case 'gap':
      return { name, type: t, from: from as string };
    case 'dense': {
      if (isLast && bool['relu'] === true) {
        throw new SpecError(source, where, 'relu', 'the last layer gives the logits and cannot have a ReLU');
      }
      return { name, type: t, from: from as string, units: n('units'), relu: bool['relu'] ?? !isLast };
    }
  }
}

function validateFrom(
  source: string,
  where: string,
  self: string,
  type: LayerType,
  from: unknown,
  known: Map<string, TensorShape>,
  allNames: Set<unknown>,
): string | string[] {
  const multi = MULTI_INPUT.has(type);
  if (from === undefined) throw new SpecError(source, where, 'from', 'missing');
  if (multi) {
    if (!Array.isArray(from) || from.length < 2 || from.some((f) => typeof f !== 'string')) {
      throw new SpecError(
        source,
        where,
        'from',
        `a ${type} layer takes an array of at least two layer names, got ${shown(from)}`,
      );
    }
  } else if (typeof from !== 'string') {
    throw new SpecError(source, where, 'from', `a ${type} layer takes one layer name, got ${shown(from)}`);
  }
  const names: string[] = typeof from === 'string' ? [from] : (from as string[]);
  for (const f of names) {
    if (known.has(f)) continue;
    if (f === self) throw new SpecError(source, where, 'from', `names the layer itself: a cycle`);
    if (allNames.has(f)) {
      throw new SpecError(
        source,
        where,
        'from',
        `names "${printable(f)}", which comes later: inputs must be earlier layers (this also rules out cycles)`,
      );
    }
    throw new SpecError(
      source,
      where,
      'from',
      `unknown layer "${printable(f)}" (use "input" for the image or an earlier layer's name)`,
    );
  }
  return typeof from === 'string' ? from : [...names];
}

/** The spec as JSON text in the seeds' layout: one layer per line, so diffs read layer by layer. */
export function formatSpec(spec: NetworkSpec): string {
  const layers = spec.layers.map((l) => `    ${JSON.stringify(l)}`).join(',\n');
  return (
    `{\n  "name": ${JSON.stringify(spec.name)},\n  "input": ${JSON.stringify(spec.input)},\n` +
    `  "classes": ${spec.classes},\n  "layers": [\n${layers}\n  ]\n}\n`
  );
}
