// The sizes a spec may ask for (issue 9). Past them training dies deep inside tfjs ("XNN status
// 6", "Invalid typed array length", "Aborted()") or the page stalls, so validation refuses them
// up front with one line naming the layer and the limit. Every limit is here, in one place.
import { networkCost } from './cost.ts';
import { describeShape, inferShapes, shapeChannels } from './shape.ts';
import { SpecError } from './spec-error.ts';
import type { Layer, NetworkSpec, TensorShape } from './types.ts';

/** Layers in a spec. */
export const MAX_LAYERS = 512;
/** Channels of any tensor: a conv's filters, a dense layer's units, a depthwise or concat output, the classes. */
export const MAX_WIDTH = 4096;
/** The image's height and width. */
export const MAX_INPUT_SIDE = 512;
/** The image's channels. */
export const MAX_INPUT_CHANNELS = 64;
/** Characters in a layer's or the spec's name. */
export const MAX_NAME_LENGTH = 100;
/** Forward FLOPs of one image at full width (MORPHNET.md §2's cost model), 20 G: 2.5× ResNet-50. */
export const MAX_FLOPS = 20e9;
/** Parameters at full width (§2's count), 50 million: 200 MB of float32 weights, 3× that with the optimizer's state. */
export const MAX_PARAMS = 50e6;
/** Memory a training step may need for activations (checkTrainable). */
export const MAX_TRAINING_BYTES = 2 * 1024 ** 3;
/** Activations are kept for the backward pass, which makes gradients of the same size, and more. */
export const BACKWARD_FACTOR = 3;
const BYTES_PER_VALUE = 4;

/** What a limit says about a value, or null when it is within it. */
export interface LimitProblem {
  field: string | null;
  message: string;
}

/** The limit on a numeric field read by itself (before shapes are known). */
export function fieldLimit(key: string, v: number): LimitProblem | null {
  if ((key === 'filters' || key === 'units' || key === 'multiplier') && v > MAX_WIDTH) {
    return { field: key, message: `${v} is over the limit of ${MAX_WIDTH} ${key === 'multiplier' ? 'for a multiplier' : `${key} per layer`}` };
  }
  return null;
}

/** A layer against its (first) input's shape and its output's: kernel and stride fit the input, the output's width fits MAX_WIDTH. */
export function shapeLimit(layer: Layer, input: TensorShape, output: TensorShape): LimitProblem | null {
  if (input.kind === 'map' && (layer.type === 'conv' || layer.type === 'depthwise' || layer.type === 'maxpool')) {
    const side = `${input.height}×${input.width}`;
    if (layer.kernel > input.height || layer.kernel > input.width) {
      return { field: 'kernel', message: `${layer.kernel} is larger than its ${side} input` };
    }
    const stride = layer.stride ?? (layer.type === 'maxpool' ? layer.kernel : 1);
    if (stride > Math.max(input.height, input.width)) {
      return { field: 'stride', message: `${stride} is larger than its ${side} input` };
    }
  }
  const width = shapeChannels(output);
  if (width > MAX_WIDTH) {
    return { field: null, message: `its output (${describeShape(output)}) has ${width} channels, over the limit of ${MAX_WIDTH}` };
  }
  return null;
}

/** The image's shape and the class count against their limits. */
export function inputLimit(input: { height: number; width: number; channels: number }, classes: number): LimitProblem | null {
  for (const side of ['height', 'width'] as const) {
    if (input[side] > MAX_INPUT_SIDE) {
      return { field: `input.${side}`, message: `${input[side]} is over the limit of ${MAX_INPUT_SIDE}` };
    }
  }
  if (input.channels > MAX_INPUT_CHANNELS) {
    return { field: 'input.channels', message: `${input.channels} is over the limit of ${MAX_INPUT_CHANNELS}` };
  }
  if (classes > MAX_WIDTH) return { field: 'classes', message: `${classes} is over the limit of ${MAX_WIDTH}` };
  return null;
}

/** One decimal, none when it is 0: 137.7, 20. */
const short = (n: number) => String(Number(n.toFixed(1)));
const giga = (n: number) => `${short(n / 1e9)} G`;
const million = (n: number) => `${short(n / 1e6)} million`;
const gib = (n: number) => `${short(n / 1024 ** 3)} GiB`;
/** `n` as `format` shows it, or exactly where that would read the same as the limit ("50 million, over 50 million"). */
const past = (n: number, limit: number, format: (x: number) => string, exact: (x: number) => string) =>
  format(n) === format(limit) ? exact(n) : format(n);
const grouped = (n: number) => n.toLocaleString('en-US');

/** Total FLOPs and parameters of a valid spec at full width against MAX_FLOPS and MAX_PARAMS. */
export function costLimit(spec: NetworkSpec): LimitProblem | null {
  const { flops, params } = networkCost(spec);
  if (flops > MAX_FLOPS) {
    return { field: null, message: `the network needs ${past(flops, MAX_FLOPS, giga, (n) => `${grouped(n)} `)}FLOPs per image, over the limit of ${giga(MAX_FLOPS)}FLOPs` };
  }
  if (params > MAX_PARAMS) {
    return { field: null, message: `the network has ${past(params, MAX_PARAMS, million, grouped)} parameters, over the limit of ${million(MAX_PARAMS)}` };
  }
  return null;
}

/** Bytes of activations one training step at `batch` keeps: every tensor (the image included) × 4 bytes × batch × BACKWARD_FACTOR. */
export function trainingBytes(spec: NetworkSpec, batch: number): number {
  let values = 0;
  for (const s of Object.values(inferShapes(spec))) {
    values += s.kind === 'map' ? s.height * s.width * s.channels : s.units;
  }
  return values * BYTES_PER_VALUE * batch * BACKWARD_FACTOR;
}

/**
 * Throws a SpecError unless a valid spec can train at `batch` within MAX_TRAINING_BYTES, saying
 * the largest batch that fits. `source` names the spec in the message (default: its name).
 */
export function checkTrainable(spec: NetworkSpec, batch: number, source = spec.name): void {
  if (!Number.isSafeInteger(batch) || batch < 1) {
    throw new SpecError(source, null, null, `the batch size must be a positive integer, got ${String(batch)}`);
  }
  const bytes = trainingBytes(spec, batch);
  if (bytes <= MAX_TRAINING_BYTES) return;
  const fits = Math.floor(MAX_TRAINING_BYTES / trainingBytes(spec, 1));
  const advice = fits >= 1 ? `use a batch of at most ${fits} or a smaller network` : 'even a batch of 1 does not fit: use a smaller network';
  throw new SpecError(
    source,
    null,
    null,
    `training at batch ${batch} needs about ${gib(bytes)} for activations, over the limit of ${gib(MAX_TRAINING_BYTES)}; ${advice}`,
  );
}

/** Every tensor's width and the total cost of a spec built by the method (expansion, the baselines) against the limits. */
export function specLimit(spec: NetworkSpec): LimitProblem | null {
  for (const [name, s] of Object.entries(inferShapes(spec))) {
    const width = shapeChannels(s);
    if (width > MAX_WIDTH) {
      return { field: null, message: `layer "${name}" would have ${width} channels, over the limit of ${MAX_WIDTH}` };
    }
  }
  return costLimit(spec);
}

/**
 * Characters a name may not hold: C0 controls, DEL and C1 controls (terminal escape codes start
 * with ESC, U+001B, or CSI, U+009B), and the bidirectional overrides that reorder what a
 * terminal or page shows. Names reach both.
 */
function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/** Why a layer's or the spec's name is refused, without echoing it; null if it is fine. */
export function nameProblem(name: string): string | null {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isControl(c)) {
      const code = c.toString(16).toUpperCase().padStart(4, '0');
      return `contains the control character U+${code} at character ${i + 1}; names may not hold control characters or terminal escape codes`;
    }
  }
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) return `is ${length} characters long, over the limit of ${MAX_NAME_LENGTH}`;
  return null;
}

/** `text` with every control character (isControl) written as \uXXXX. */
export function escapeControls(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    out += ch.length === 1 && isControl(c) ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

/** A string safe to print inside quotes: JSON's escapes and escapeControls, cut to `max` characters with "...". */
export function printable(s: string, max = 40): string {
  const chars = [...s];
  const cut = chars.length > max ? `${chars.slice(0, max - 3).join('')}...` : s;
  return escapeControls(JSON.stringify(cut).slice(1, -1));
}

/** A value as a message quotes it: JSON cut to 40 characters and escaped; Infinity and NaN by name (JSON would say null). */
export function shownValue(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    return 'a value nested too deeply to show'; // a 1 MB file can nest 500,000 arrays: the stack runs out
  }
  return s === undefined ? String(v) : escapeControls(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}
