// Reading a Keras / TensorFlow.js Layers model topology into one plain graph (issue 12, "Import
// from where users' networks live"). Four shapes reach here: tfjs `model.json` (`modelTopology`,
// itself either the model or `{model_config}`), and `model.to_json()` of Keras 2 and Keras 3, each
// `Sequential` (a chain) or `Functional`/`Model` (`inbound_nodes`: Keras 2 and tfjs write
// `[[[name, node, tensor, kwargs], ...]]`, Keras 3 `[{args, kwargs}]` with `keras_history` in
// each tensor). keras-import.ts turns the graph into a spec.
import { SpecError } from './spec.ts';

export interface KerasNode {
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** Names of the layers whose outputs this one reads, in call order; empty for the input. */
  inputs: string[];
}

export interface KerasGraph {
  modelName: string | null;
  /** In an order where every layer comes after its inputs. */
  nodes: KerasNode[];
  /** The layer whose output is the model's output. */
  output: string;
  /** A Sequential model's input shape when no InputLayer carries it (`build_input_shape`). */
  inputShape: unknown;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The model object inside whatever wraps it, or null if the value is no Keras topology. */
export function kerasModel(value: unknown): Record<string, unknown> | null {
  if (!isRecord(value)) return null;
  let m: unknown = value['modelTopology'] ?? value;
  if (isRecord(m) && isRecord(m['model_config'])) m = m['model_config'];
  if (!isRecord(m) || typeof m['class_name'] !== 'string') return null;
  const config = m['config'];
  return isRecord(config) || Array.isArray(config) ? m : null;
}

/** Detection by shape, for an importer that takes both studio specs and Keras models. */
export function isKerasTopology(value: unknown): boolean {
  return kerasModel(value) !== null;
}

function layerName(source: string, raw: Record<string, unknown>, index: number): string {
  const config = isRecord(raw['config']) ? raw['config'] : {};
  const name = raw['name'] ?? config['name'];
  if (typeof name !== 'string' || name === '') {
    throw new SpecError(source, null, null, `layer #${index + 1} of the Keras model has no name`);
  }
  return name;
}

function rawLayers(source: string, config: unknown): Record<string, unknown>[] {
  const layers = Array.isArray(config) ? config : isRecord(config) ? config['layers'] : undefined;
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new SpecError(source, null, null, 'the Keras model lists no layers');
  }
  return layers.map((l, i) => {
    if (!isRecord(l) || typeof l['class_name'] !== 'string') {
      throw new SpecError(source, null, null, `layer #${i + 1} of the Keras model has no class_name`);
    }
    return l;
  });
}

/** Every `keras_history` layer name inside a Keras 3 call's arguments, in order. */
function historyNames(v: unknown, out: string[]): void {
  if (Array.isArray(v)) {
    for (const x of v) historyNames(x, out);
  } else if (isRecord(v)) {
    // {"class_name": "__keras_tensor__", "config": {"keras_history": [...]}}, or the bare inner object.
    const config = v['config'];
    const history = isRecord(config) ? config['keras_history'] : v['keras_history'];
    if (Array.isArray(history) && typeof history[0] === 'string') out.push(history[0]);
    else for (const x of Object.values(v)) historyNames(x, out);
  }
}

function nodeInputs(source: string, name: string, inbound: unknown): string[] {
  if (inbound === undefined || (Array.isArray(inbound) && inbound.length === 0)) return [];
  if (!Array.isArray(inbound)) {
    throw new SpecError(source, null, null, `layer "${name}": "inbound_nodes" must be a list`);
  }
  if (inbound.length > 1) {
    throw new SpecError(
      source,
      null,
      null,
      `layer "${name}" is called ${inbound.length} times (a shared layer): the studio needs each layer used once`,
    );
  }
  const node = inbound[0];
  const names: string[] = [];
  if (isRecord(node)) {
    historyNames(node['args'], names);
    if (names.length === 0) historyNames(node['kwargs'], names);
  } else if (Array.isArray(node)) {
    for (const entry of node) if (Array.isArray(entry) && typeof entry[0] === 'string') names.push(entry[0]);
  }
  if (names.length === 0) {
    throw new SpecError(source, null, null, `layer "${name}": cannot read its inputs from "inbound_nodes"`);
  }
  return names;
}

/** Layers sorted so that each follows its inputs (Keras writes them so; a hand-edited file may not). */
function ordered(source: string, nodes: KerasNode[]): KerasNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: KerasNode[] = [];
  const visit = (n: KerasNode) => {
    if (done.has(n.name)) return;
    if (visiting.has(n.name)) throw new SpecError(source, null, null, `layer "${n.name}" is part of a cycle`);
    visiting.add(n.name);
    for (const i of n.inputs) {
      const dep = byName.get(i);
      if (dep === undefined) {
        throw new SpecError(
          source,
          null,
          null,
          `layer "${n.name}" reads "${i}", which the model does not list`,
        );
      }
      visit(dep);
    }
    visiting.delete(n.name);
    done.add(n.name);
    out.push(n);
  };
  for (const n of nodes) visit(n);
  return out;
}

function outputName(source: string, config: Record<string, unknown>, nodes: KerasNode[]): string {
  const outputs = config['output_layers'];
  if (outputs === undefined) return (nodes.at(-1) as KerasNode).name;
  // [["dense", 0, 0]], or Keras 3's ["dense", 0, 0] for a single output.
  const list = Array.isArray(outputs) && typeof outputs[0] === 'string' ? [outputs] : outputs;
  if (
    !Array.isArray(list) ||
    list.length !== 1 ||
    !Array.isArray(list[0]) ||
    typeof list[0][0] !== 'string'
  ) {
    throw new SpecError(
      source,
      null,
      null,
      `the model has ${Array.isArray(list) ? list.length : 'no readable'} outputs: the studio needs exactly one (the logits)`,
    );
  }
  return list[0][0];
}

export function kerasGraph(value: unknown, source: string): KerasGraph {
  const model = kerasModel(value);
  if (model === null) {
    throw new SpecError(
      source,
      null,
      null,
      'not a Keras or TensorFlow.js Layers model (no "class_name" and "config")',
    );
  }
  const className = model['class_name'] as string;
  const config = model['config'];
  const modelName = isRecord(config) && typeof config['name'] === 'string' ? config['name'] : null;
  if (className !== 'Sequential' && className !== 'Functional' && className !== 'Model') {
    throw new SpecError(
      source,
      null,
      null,
      `a Keras model of class "${className}" is not supported (Sequential, Functional or Model)`,
    );
  }
  const layers = rawLayers(source, config);
  const seen = new Set<string>();
  const named = layers.map((raw, i) => {
    const name = layerName(source, raw, i);
    if (seen.has(name)) throw new SpecError(source, null, null, `two layers are named "${name}"`);
    seen.add(name);
    return {
      name,
      className: raw['class_name'] as string,
      config: isRecord(raw['config']) ? raw['config'] : {},
      raw,
    };
  });
  if (className === 'Sequential') {
    const nodes = named.map((n, i) => ({
      name: n.name,
      className: n.className,
      config: n.config,
      inputs: i === 0 ? [] : [(named[i - 1] as { name: string }).name],
    }));
    const inputShape = isRecord(config) ? config['build_input_shape'] : undefined;
    return { modelName, nodes, output: (nodes.at(-1) as KerasNode).name, inputShape };
  }
  const nodes = ordered(
    source,
    named.map((n) => ({
      name: n.name,
      className: n.className,
      config: n.config,
      inputs: nodeInputs(source, n.name, n.raw['inbound_nodes']),
    })),
  );
  return {
    modelName,
    nodes,
    output: outputName(source, isRecord(config) ? config : {}, nodes),
    inputShape: undefined,
  };
}
