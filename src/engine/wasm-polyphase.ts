// Conv2DBackpropInput for tfjs-backend-wasm by polyphase (sub-pixel) decomposition. The
// zero-stuffed route (inputGradViaConv) spreads dy out with s−1 zeros per row and column and
// convolves with the whole rotated filter, so at stride 2 three of every four multiply-adds hit a
// zero: resnet-mini's two 3×3 stride-2 layers took 8-12 ms against 2 ms forward. Here each of the
// s² output phases (the dx pixels whose row ≡ ru and column ≡ rv modulo the stride, offset by the
// padding) is one stride-1 XNNPACK Conv2D of dy with only the filter taps that reach it, and the
// phases are interleaved into dx in JS on the heap. At stride 1 there is one phase and no
// interleave; the rotated, channel-swapped filters are written in JS instead of Reverse +
// Transpose kernels.
import * as tf from '@tensorflow/tfjs';
import { asInfo, kernelFunc, type WasmBackendLike } from './wasm-conv-grads.ts';

type Shape4 = [number, number, number, number];

/** One output phase: which dx rows/columns it fills and the conv result that holds them. */
interface Phase {
  ru: number;
  rv: number;
  /** First phase index a (dx row = s·a + ru − top) and how many. */
  a0: number;
  rows: number;
  c0: number;
  cols: number;
  out: tf.TensorInfo;
}

/** The heap view of a float32 tensor; taken after the last allocation (growing memory detaches views). */
function view(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/**
 * Which dy rows a phase reads along one axis: dx index u = s·a + r − pad for a in [a0, a1), each
 * reading dy[a − t] for taps t in [0, taps); returns a0, the count, and dy's rows [lo, hi]
 * clipped to the tensor, with the zero padding before and after that a stride-1 conv needs.
 */
function axis(size: number, outSize: number, s: number, r: number, pad: number, taps: number) {
  const a0 = Math.ceil((pad - r) / s);
  const a1 = Math.ceil((size + pad - r) / s);
  const lo = a0 - taps + 1;
  const hi = a1 - 1;
  const from = Math.max(lo, 0);
  const to = Math.min(hi, outSize - 1);
  return { a0, count: a1 - a0, from, to, before: from - lo, after: hi - to };
}

/**
 * dx of a stride-s, same/valid-padded Conv2D. Phase (ru, rv) uses taps p = ru + s·t of the
 * filter: dx[s·a + ru − top] = Σ_t dy[a − t]·W[ru + s·t], a correlation of dy with those taps
 * reversed and their in/out channels swapped.
 */
export function inputGradViaPolyphase(
  backend: WasmBackendLike,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: tf.Conv2DBackpropInputAttrs,
): tf.TensorInfo {
  const [b, h, w, ci] = attrs.inputShape as Shape4;
  const [kh, kw, , co] = filter.shape as Shape4;
  const [sh, sw] = typeof attrs.strides === 'number' ? [attrs.strides, attrs.strides] : attrs.strides;
  const [, oh, ow] = dy.shape as Shape4;
  const info = tf.backend_util.computeConv2DInfo([b, h, w, ci], [kh, kw, ci, co], [sh, sw], 1, attrs.pad as 'same' | 'valid');
  const { top, left } = info.padInfo;
  const phases: Phase[] = [];
  let covered = 0;
  for (let ru = 0; ru < sh; ru++) {
    for (let rv = 0; rv < sw; rv++) {
      const th = Math.ceil((kh - ru) / sh);
      const tw = Math.ceil((kw - rv) / sw);
      if (th <= 0 || tw <= 0) continue; // no tap reaches this phase: its dx stays zero
      const y = axis(h, oh, sh, ru, top, th);
      const x = axis(w, ow, sw, rv, left, tw);
      if (y.count <= 0 || x.count <= 0 || y.from > y.to || x.from > x.to) continue;
      const temps: tf.TensorInfo[] = [];
      let src = dy;
      if (y.from > 0 || y.to < oh - 1 || x.from > 0 || x.to < ow - 1) {
        const size = [b, y.to - y.from + 1, x.to - x.from + 1, co];
        src = asInfo(kernelFunc('Slice', 'wasm')({ inputs: { x: dy }, backend, attrs: { begin: [0, y.from, x.from, 0], size } }));
        temps.push(src);
      }
      const taps = phaseFilter(backend, filter, ru, rv, sh, sw, th, tw);
      temps.push(taps);
      const pad = [[0, 0], [y.before, y.after], [x.before, x.after], [0, 0]];
      const convAttrs = { strides: [1, 1], pad, dilations: [1, 1], dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap;
      const out = asInfo(kernelFunc('Conv2D', 'wasm')({ inputs: { x: src, filter: taps }, backend, attrs: convAttrs }));
      for (const t of temps) backend.disposeData(t.dataId);
      phases.push({ ru, rv, a0: y.a0, rows: y.count, c0: x.a0, cols: x.count, out });
      covered += y.count * x.count;
    }
  }
  // Stride 1: the one phase is dx itself.
  if (phases.length === 1 && sh === 1 && sw === 1) return phases[0]!.out;
  const dx = backend.makeOutput([b, h, w, ci], 'float32');
  const dxs = view(backend, dx);
  if (covered < h * w) dxs.fill(0);
  for (const p of phases) interleave(dxs, view(backend, p.out), p, { b, h, w, ci, sh, sw, top, left });
  for (const p of phases) backend.disposeData(p.out.dataId);
  return dx;
}

/** Taps ru + s·t (t < th) and rv + s·t' (t' < tw) of filter [kh,kw,ci,co], reversed, as [th,tw,co,ci]. */
function phaseFilter(backend: WasmBackendLike, filter: tf.TensorInfo, ru: number, rv: number, sh: number, sw: number, th: number, tw: number): tf.TensorInfo {
  const [, kw, ci, co] = filter.shape as Shape4;
  const out = backend.makeOutput([th, tw, co, ci], 'float32');
  const f = view(backend, filter);
  const o = view(backend, out);
  let k = 0;
  for (let i = 0; i < th; i++) {
    const p = ru + sh * (th - 1 - i);
    for (let j = 0; j < tw; j++) {
      const base = (p * kw + rv + sw * (tw - 1 - j)) * ci * co;
      for (let oc = 0; oc < co; oc++) for (let c = 0; c < ci; c++) o[k++] = f[base + c * co + oc]!;
    }
  }
  return out;
}

/** Copies a phase's [b, rows, cols, ci] result to dx rows s·(a0+i) + ru − top, columns likewise. */
function interleave(dx: Float32Array, src: Float32Array, p: Phase, g: { b: number; h: number; w: number; ci: number; sh: number; sw: number; top: number; left: number }): void {
  const { ci } = g;
  let k = 0;
  for (let n = 0; n < g.b; n++) {
    for (let i = 0; i < p.rows; i++) {
      const u = g.sh * (p.a0 + i) + p.ru - g.top;
      let d = ((n * g.h + u) * g.w + g.sw * p.c0 + p.rv - g.left) * ci;
      const step = (g.sw - 1) * ci;
      for (let j = 0; j < p.cols; j++, d += step) {
        for (let c = 0; c < ci; c++) dx[d++] = src[k++]!;
      }
    }
  }
}
