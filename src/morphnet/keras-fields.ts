// Reading the few Keras layer-config fields the studio's layers have an equivalent for; every
// value without one is refused through `fail`, which names the layer (import-keras.ts).
import { isRecord, type KerasNode } from './keras-graph.ts';
import type { InputShape } from './types.ts';

export type KerasFail = (node: KerasNode, detail: string) => never;

/** Square sizes only: 3, [3, 3] or Keras 2's {"class_name": "__tuple__", "items": [3, 3]}. */
export function squareSize(node: KerasNode, field: string, fail: KerasFail, fallback?: number): number {
  let v = node.config[field];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (isRecord(v) && Array.isArray(v['items'])) v = v['items'];
  const list = Array.isArray(v) ? v : [v];
  const first = list[0];
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || list.some((x) => x !== first)) {
    fail(node, `has ${field} ${JSON.stringify(v)}: the studio needs one positive size for both sides`);
  }
  return first;
}

/**
 * What the studio's conv, depthwise and pooling layers fix: channels last, no dilation or groups,
 * and "same" padding. "valid" passes only where the caller says it pools or convolves the same
 * (`validOk`); the return value says whether the layer asked for it.
 */
export function checkConvFields(node: KerasNode, fail: KerasFail, validOk = false): boolean {
  const c = node.config;
  const padding = c['padding'];
  if (padding !== undefined && padding !== 'same' && !(validOk && padding === 'valid')) {
    fail(node, `has padding ${JSON.stringify(padding)}: the studio pads "same" only`);
  }
  const format = c['data_format'];
  if (format !== undefined && format !== null && format !== 'channels_last') {
    fail(node, `has data_format ${JSON.stringify(format)}: the studio reads channels_last only`);
  }
  if (c['dilation_rate'] !== undefined && squareSize(node, 'dilation_rate', fail) !== 1) {
    fail(node, 'is dilated: the studio builds dilation 1 only');
  }
  if (c['groups'] !== undefined && c['groups'] !== 1) fail(node, 'is a grouped convolution: not supported');
  return padding === 'valid';
}

/** The activation written into a conv, depthwise or dense layer: true for relu, false for none. */
export function activationRelu(node: KerasNode, allowSoftmax: boolean, fail: KerasFail): boolean {
  const a = node.config['activation'] ?? 'linear';
  if (a === 'relu') return true;
  if (a === 'linear' || a === null || (allowSoftmax && a === 'softmax')) return false;
  return fail(node, `has activation ${JSON.stringify(a)}: the studio builds relu or none`);
}

/** [null, H, W, C] (batch_input_shape, batch_shape) or [H, W, C] (input_shape). */
export function imageShape(node: KerasNode, shape: unknown, fail: KerasFail): InputShape {
  const raw = isRecord(shape) && Array.isArray(shape['items']) ? shape['items'] : shape;
  const dims = Array.isArray(raw) && raw.length === 4 ? raw.slice(1) : raw;
  const ok =
    Array.isArray(dims) && dims.length === 3 && dims.every((d) => Number.isInteger(d) && (d as number) > 0);
  if (!ok) {
    fail(
      node,
      `has input shape ${JSON.stringify(raw ?? null)}: the studio needs an image, [height, width, channels]`,
    );
  }
  const [height, width, channels] = dims as number[];
  return { height: height as number, width: width as number, channels: channels as number };
}
