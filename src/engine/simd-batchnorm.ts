// The four passes of the fused batch norm (batchnorm-kernels.ts) as WebAssembly SIMD over
// tfjs-backend-wasm's own heap: a 600-byte module, assembled here (no toolchain), that imports
// the backend's WebAssembly.Memory, so the kernels read x and write y in place as the JS loops
// do. Sums stay in float64 (f64x2, as the JS loops sum in float64); the elementwise passes run in
// float32 on x − mean, which avoids the cancellation of x·scale + (β − mean·scale). Channels
// must be a multiple of 4 (one f32x4 a group); otherwise, or without SIMD, the JS loops run.

/** The four functions; pointers are byte offsets into the heap, `row` is channels × 4 bytes. */
export interface SimdBatchNorm {
  /** sum[c] += Σ x, sq[c] += Σ x² over the pixels in [x, end) (sum, sq: float64). */
  moments(x: number, end: number, row: number, sum: number, sq: number): void;
  /** y = (x − mean)·k + beta (mean, k, beta: float32 per channel). */
  affine(x: number, end: number, row: number, y: number, mean: number, k: number, beta: number): void;
  /** db[c] += Σ dy, dg[c] += Σ dy·(x − mean) (mean, db, dg: float64). */
  gradSums(x: number, end: number, row: number, dy: number, mean: number, db: number, dg: number): void;
  /** dx = dy·k + (x − mean)·a + b (mean, k, a, b: float32 per channel). */
  gradInput(x: number, end: number, row: number, dy: number, dx: number, mean: number, k: number, a: number, b: number): void;
}

const I32 = 0x7f;
const V128 = 0x7b;
const PARAMS = 9;

const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const add = [0x6a];
const simd = (op: number) => (op < 128 ? [0xfd, op] : [0xfd, (op & 0x7f) | 0x80, op >> 7]);
const load = (offset = 0) => [...simd(0x00), 4, offset];
const store = (offset = 0) => [...simd(0x0b), 4, offset];
const f32x4Add = simd(0xe4);
const f32x4Sub = simd(0xe5);
const f32x4Mul = simd(0xe6);
const f64x2Add = simd(0xf0);
const f64x2Sub = simd(0xf1);
const f64x2Mul = simd(0xf2);
const promoteLow = simd(0x5f);
/** Lanes 2, 3 of an f32x4 moved to lanes 0, 1 (then promoteLow gives the high pair). */
const highHalf = [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * for (; x < end; x += row and every pointer in `advance` += row) for (g = 0; g < row; g += 16) body
 * — params 0, 1, 2 are x, end, row; local `g` holds the group's byte offset.
 */
function pixelLoop(g: number, advance: number[], body: number[]): number[] {
  const step = [0, ...advance].flatMap((p) => [...get(p), ...get(2), ...add, ...set(p)]);
  return [
    0x02, 0x40, 0x03, 0x40,
    ...get(0), ...get(1), 0x4f, 0x0d, 1, // x >= end (unsigned): leave
    0x41, 0, ...set(g),
    0x03, 0x40, ...body, ...get(g), 0x41, 16, ...add, ...tee(g), ...get(2), 0x49, 0x0d, 0, 0x0b,
    ...step,
    0x0c, 0, 0x0b, 0x0b,
  ];
}

/** Pointer param p plus the group offset (local g), scaled by 2 for float64 arrays when `f64`. */
const at = (p: number, g: number, f64 = false) => [...get(p), ...get(g), ...(f64 ? [0x41, 1, 0x74] : []), ...add];

/** An f32x4 at [p + g] split into two promoted f64x2 locals lo, hi (tmp: a v128 local). */
const promoted = (p: number, g: number, tmp: number, lo: number, hi: number) => [
  ...at(p, g), ...load(), ...tee(tmp), ...promoteLow, ...set(lo),
  ...get(tmp), ...get(tmp), ...highHalf, ...promoteLow, ...set(hi),
];

/** acc[2g], acc[2g+16] (f64x2 each) += the values the two `lo`/`hi` snippets push. */
const accumulate = (acc: number, g: number, addr: number, lo: number[], hi: number[]) => [
  ...at(acc, g, true), ...set(addr),
  ...get(addr), ...get(addr), ...load(), ...lo, ...f64x2Add, ...store(),
  ...get(addr), ...get(addr), ...load(16), ...hi, ...f64x2Add, ...store(16),
];

function bodies(): number[][] {
  // Locals after the 9 params: i32 g (9), i32 addr (10), v128 ×6 (11-16).
  const g = 9;
  const addr = 10;
  const [t, lo, hi, xlo, xhi] = [11, 12, 13, 14, 15];
  const moments = pixelLoop(g, [], [
    ...promoted(0, g, t, lo, hi),
    ...accumulate(3, g, addr, get(lo), get(hi)),
    ...accumulate(4, g, addr, [...get(lo), ...get(lo), ...f64x2Mul], [...get(hi), ...get(hi), ...f64x2Mul]),
  ]);
  const affine = pixelLoop(g, [3], [
    ...at(3, g),
    ...at(0, g), ...load(), ...at(4, g), ...load(), ...f32x4Sub, ...at(5, g), ...load(), ...f32x4Mul,
    ...at(6, g), ...load(), ...f32x4Add,
    ...store(),
  ]);
  const gradSums = pixelLoop(g, [3], [
    ...promoted(3, g, t, lo, hi),
    ...promoted(0, g, t, xlo, xhi),
    ...at(4, g, true), ...set(addr),
    ...get(xlo), ...get(addr), ...load(), ...f64x2Sub, ...set(xlo),
    ...get(xhi), ...get(addr), ...load(16), ...f64x2Sub, ...set(xhi),
    ...accumulate(5, g, addr, get(lo), get(hi)),
    ...accumulate(6, g, addr, [...get(lo), ...get(xlo), ...f64x2Mul], [...get(hi), ...get(xhi), ...f64x2Mul]),
  ]);
  const gradInput = pixelLoop(g, [3, 4], [
    ...at(4, g),
    ...at(3, g), ...load(), ...at(6, g), ...load(), ...f32x4Mul,
    ...at(0, g), ...load(), ...at(5, g), ...load(), ...f32x4Sub, ...at(7, g), ...load(), ...f32x4Mul,
    ...f32x4Add, ...at(8, g), ...load(), ...f32x4Add,
    ...store(),
  ]);
  return [moments, affine, gradSums, gradInput].map((code) => [2, 2, I32, 6, V128, ...code, 0x0b]);
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const NAMES = ['moments', 'affine', 'gradSums', 'gradInput'] as const;

/** The module's bytes: one type (9 × i32) → (), memory imported as e.m, four exported functions. */
export function simdBatchNormBytes(): Uint8Array<ArrayBuffer> {
  const code = bodies();
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...uleb(PARAMS), ...Array<number>(PARAMS).fill(I32), 0]])),
    ...section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, 0x00]])),
    ...section(3, vec(code.map(() => [0]))),
    ...section(7, vec(NAMES.map((n, i) => [...name(n), 0x00, i]))),
    ...section(10, vec(code.map((c) => [...uleb(c.length), ...c]))),
  ]);
}

const instances = new WeakMap<WebAssembly.Memory, SimdBatchNorm | null>();

/** The kernels bound to `memory` (compiled once per memory), or null where SIMD is unavailable. */
export function simdBatchNorm(memory: WebAssembly.Memory): SimdBatchNorm | null {
  if (instances.has(memory)) return instances.get(memory)!;
  let kernels: SimdBatchNorm | null = null;
  const bytes = simdBatchNormBytes();
  // A shared memory (tfjs's threaded build) does not match the unshared import: JS loops there.
  if (memory.buffer instanceof ArrayBuffer && WebAssembly.validate(bytes)) {
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { e: { m: memory } });
      kernels = instance.exports as unknown as SimdBatchNorm;
    } catch {
      kernels = null;
    }
  }
  instances.set(memory, kernels);
  return kernels;
}

/** The backend's heap: its memory and allocator (tfjs-backend-wasm's emscripten module). */
export interface Heap {
  memory: WebAssembly.Memory;
  malloc(bytes: number): number;
  free(ptr: number): void;
}

/** Views are taken after malloc (growing memory detaches older ones); pointers stay valid. */
const f32At = (heap: Heap, ptr: number, n: number) => new Float32Array(heap.memory.buffer, ptr, n);
const f64At = (heap: Heap, ptr: number, n: number) => new Float64Array(heap.memory.buffer, ptr, n);

/** Forward: mean and population variance of x per channel into `mean`/`variance`, y = x̂·γ + β. */
export function forwardSimd(
  k: SimdBatchNorm,
  heap: Heap,
  t: { x: Float32Array; y: Float32Array; mean: Float32Array; variance: Float32Array; gamma: Float32Array; beta: Float32Array },
  epsilon: number,
): void {
  const c = t.gamma.length;
  const n = t.x.length / c;
  const [px, py, pm, pv, pg, pb] = [t.x, t.y, t.mean, t.variance, t.gamma, t.beta].map((a) => a.byteOffset) as [number, number, number, number, number, number];
  const end = px + 4 * t.x.length;
  const s = heap.malloc(20 * c); // Σx, Σx² (float64), then scale (float32)
  try {
    f64At(heap, s, 2 * c).fill(0);
    k.moments(px, end, 4 * c, s, s + 8 * c);
    const sums = f64At(heap, s, 2 * c);
    const mean = f32At(heap, pm, c);
    const variance = f32At(heap, pv, c);
    const gamma = f32At(heap, pg, c);
    const scale = f32At(heap, s + 16 * c, c);
    for (let i = 0; i < c; i++) {
      const m = sums[i]! / n;
      // E[x²] − E[x]² in float64 is exact enough for activations of O(1..100) magnitude.
      const v = Math.max(0, sums[c + i]! / n - m * m);
      mean[i] = m;
      variance[i] = v;
      scale[i] = gamma[i]! / Math.sqrt(v + epsilon);
    }
    k.affine(px, end, 4 * c, py, pm, s + 16 * c, pb);
  } finally {
    heap.free(s);
  }
}

/** Backward: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·rstd·(dy − dβ/N − x̂·dγ/N). */
export function backwardSimd(
  k: SimdBatchNorm,
  heap: Heap,
  t: { x: Float32Array; dy: Float32Array; dx: Float32Array; mean: Float32Array; variance: Float32Array; gamma: Float32Array; dgamma: Float32Array; dbeta: Float32Array },
  epsilon: number,
): void {
  const c = t.gamma.length;
  const n = t.x.length / c;
  const [px, pdy, pdx, pm, pv, pg, pdg, pdb] = [t.x, t.dy, t.dx, t.mean, t.variance, t.gamma, t.dgamma, t.dbeta].map((a) => a.byteOffset) as number[] as [number, number, number, number, number, number, number, number];
  const end = px + 4 * t.x.length;
  const s = heap.malloc(36 * c); // mean, Σdy, Σdy·(x − mean) (float64), then k, a, b (float32)
  try {
    const wide = f64At(heap, s, 3 * c);
    wide.fill(0);
    wide.set(f32At(heap, pm, c));
    k.gradSums(px, end, 4 * c, pdy, s, s + 8 * c, s + 16 * c);
    const sums = f64At(heap, s, 3 * c);
    const variance = f32At(heap, pv, c);
    const gamma = f32At(heap, pg, c);
    const dgamma = f32At(heap, pdg, c);
    const dbeta = f32At(heap, pdb, c);
    const coef = f32At(heap, s + 24 * c, 3 * c);
    for (let i = 0; i < c; i++) {
      const rstd = 1 / Math.sqrt(variance[i]! + epsilon);
      const db = sums[c + i]!;
      const dg = sums[2 * c + i]! * rstd;
      const kk = gamma[i]! * rstd;
      dbeta[i] = db;
      dgamma[i] = dg;
      coef[i] = kk;
      coef[c + i] = (-kk * rstd * dg) / n;
      coef[2 * c + i] = (-kk * db) / n;
    }
    k.gradInput(px, end, 4 * c, pdy, pdx, pm, s + 24 * c, s + 28 * c, s + 32 * c);
  } finally {
    heap.free(s);
  }
}
