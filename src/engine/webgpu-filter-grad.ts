// Conv2DBackpropFilter on WebGPU as a tiled matmul (webgpu-kernels.ts registers it): the programs
// and the split-K plan. dW[(kh,kw,ci), co] = Σ_l A[(kh,kw,ci), l] · dy[l, co] over l = (b, oh, ow),
// A gathered from x through the stride and padding. The objects follow tfjs-backend-webgpu's
// WebGPUProgram contract (its webgpu_program.ts): the backend writes the buffer and uniform
// declarations (`x`, `dy`, `result`, `uniforms.xShape`...) and calls `main`.
import type * as tf from '@tensorflow/tfjs';

/** The output tile (rows × columns of dW), the depth of one K step, and the threads of a workgroup. */
export const TILE_M = 32;
export const TILE_N = 32;
export const TILE_K = 16;
const THREADS = 64; // 8 × 8, each 4 × 4 outputs
/** Enough workgroups to keep a large GPU's cores busy; more only adds partial sums to reduce. */
const TARGET_WORKGROUPS = 512;
/** A workgroup sums at least this many K steps, so split-K never turns into pure overhead. */
const MIN_K_TILES_PER_SPLIT = 8;
/** Partial sums stay under 16 MiB whatever the shape. */
const MAX_PARTIAL_FLOATS = 4 << 20;

export interface FilterGradPlan {
  /** Rows of dW: filterHeight · filterWidth · inChannels. */
  m: number;
  /** Columns of dW: outChannels. */
  n: number;
  /** The reduced length: batch · outHeight · outWidth. */
  k: number;
  splits: number;
  /** K per split, a multiple of TILE_K. */
  kPerSplit: number;
  tilesM: number;
  tilesN: number;
}

export function planFilterGrad(m: number, n: number, k: number): FilterGradPlan {
  const tilesM = Math.ceil(m / TILE_M);
  const tilesN = Math.ceil(n / TILE_N);
  const kTiles = Math.ceil(k / TILE_K);
  const wanted = Math.ceil(TARGET_WORKGROUPS / (tilesM * tilesN));
  const byDepth = Math.max(1, Math.floor(kTiles / MIN_K_TILES_PER_SPLIT));
  const byMemory = Math.max(1, Math.floor(MAX_PARTIAL_FLOATS / (m * n)));
  let splits = Math.max(1, Math.min(wanted, byDepth, byMemory));
  const kPerSplit = Math.ceil(kTiles / splits) * TILE_K;
  splits = Math.ceil(k / kPerSplit); // rounding up kPerSplit can leave the last split empty
  return { m, n, k, splits, kPerSplit, tilesM, tilesN };
}

/** tfjs's getMainHeaderString (webgpu_program.ts), copied rather than deep-imported. */
function mainHeader(index?: string): string {
  return index === undefined ? 'fn main()' : `fn main(${index} : i32)`;
}

const unroll = (count: number, line: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(i)).join('\n      ');

export interface WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms?: string;
  workgroupSize: [number, number, number];
  size?: boolean;
  getUserCode(): string;
}

/**
 * One workgroup computes a TILE_M × TILE_N block of dW over one split's K range: each K step
 * stages A (gathered from x) and dy in workgroup memory, then every thread accumulates its
 * 4 × 4 outputs from vec4 reads. Shapes are uniforms, so one compiled shader serves every layer.
 * Output: dW itself when there is one split, else [splits, m, n] partial sums.
 */
export class FilterGradTiledProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey = `conv2DDerFilterTiled_${TILE_M}x${TILE_N}x${TILE_K}`;
  dispatchLayout = { x: [2], y: [1], z: [0] };
  dispatch: [number, number, number];
  variableNames = ['x', 'dy'];
  uniforms =
    'pads : vec2<i32>, strides : vec2<i32>, filterDims : vec2<i32>, dimM : i32, dimN : i32, dimK : i32, kPerSplit : i32, tilesPerSplit : i32,';
  workgroupSize: [number, number, number] = [THREADS, 1, 1];

  constructor(plan: FilterGradPlan, filterShape: number[]) {
    this.outputShape = plan.splits === 1 ? filterShape : [plan.splits, plan.m, plan.n];
    this.dispatch = [plan.tilesN, plan.tilesM, plan.splits];
  }

  getUserCode(): string {
    const vecsM = TILE_M / 4;
    const vecsN = TILE_N / 4;
    const loads = (TILE_K * TILE_M) / THREADS; // per thread and tile; TILE_M == TILE_N
    const rowsPerPass = THREADS / TILE_M;
    return `
    var<workgroup> tileA : array<vec4<f32>, ${TILE_K * vecsM}>;
    var<workgroup> tileB : array<vec4<f32>, ${TILE_K * vecsN}>;

    ${mainHeader()} {
      let tid = i32(localIndex);
      let tx = tid % ${vecsN};
      let ty = tid / ${vecsN};
      let m0 = i32(workgroupId.y) * ${TILE_M};
      let n0 = i32(workgroupId.x) * ${TILE_N};
      let kStart = i32(workgroupId.z) * uniforms.kPerSplit;
      let kEnd = min(uniforms.dimK, kStart + uniforms.kPerSplit);
      let inH = uniforms.xShape[1];
      let inW = uniforms.xShape[2];
      let inC = uniforms.xShape[3];
      let outH = uniforms.dyShape[1];
      let outW = uniforms.dyShape[2];

      // The dW row and column this thread stages stay fixed over the K loop.
      let lane = tid % ${TILE_M};
      let pass0 = tid / ${TILE_M};
      let m = m0 + lane;
      let mOk = m < uniforms.dimM;
      let ci = m % inC;
      let tap = m / inC;
      let fw = tap % uniforms.filterDims.y;
      let fh = tap / uniforms.filterDims.y;
      let n = n0 + lane;
      let nOk = n < uniforms.dimN;

      // Where this thread's next staged l = (batch, oh, ow) is, advanced by carries rather than
      // divided out for every load: the gather would otherwise cost more than the multiply-adds.
      var l = kStart + pass0;
      var ow = l % outW;
      var oh = (l / outW) % outH;
      var batch = l / (outW * outH);

      var acc0 = vec4<f32>(0.0);
      var acc1 = vec4<f32>(0.0);
      var acc2 = vec4<f32>(0.0);
      var acc3 = vec4<f32>(0.0);
      // The trip count is a uniform, so the barriers stay in uniform control flow.
      for (var t = 0; t < uniforms.tilesPerSplit; t = t + 1) {
        for (var p = 0; p < ${loads}; p = p + 1) {
          let kk = pass0 + p * ${rowsPerPass};
          var a = 0.0;
          var b = 0.0;
          if (l < kEnd) {
            let ih = oh * uniforms.strides.x - uniforms.pads.x + fh;
            let iw = ow * uniforms.strides.y - uniforms.pads.y + fw;
            if (mOk && ih >= 0 && ih < inH && iw >= 0 && iw < inW) {
              a = x[((batch * inH + ih) * inW + iw) * inC + ci];
            }
            if (nOk) {
              b = dy[l * uniforms.dimN + n];
            }
          }
          tileA[kk * ${vecsM} + lane / 4][lane % 4] = a;
          tileB[kk * ${vecsN} + lane / 4][lane % 4] = b;
          l = l + ${rowsPerPass};
          ow = ow + ${rowsPerPass};
          while (ow >= outW) {
            ow = ow - outW;
            oh = oh + 1;
          }
          while (oh >= outH) {
            oh = oh - outH;
            batch = batch + 1;
          }
        }
        workgroupBarrier();
        for (var kk = 0; kk < ${TILE_K}; kk = kk + 1) {
          let av = tileA[kk * ${vecsM} + ty];
          let bv = tileB[kk * ${vecsN} + tx];
          ${unroll(4, (i) => `acc${i} = acc${i} + av[${i}] * bv;`)}
        }
        workgroupBarrier();
      }

      let base = i32(workgroupId.z) * uniforms.dimM * uniforms.dimN;
      let col = n0 + tx * 4;
      ${unroll(4, (i) => `writeRow(base, m0 + ty * 4 + ${i}, col, acc${i});`)}
    }

    fn writeRow(base : i32, row : i32, col : i32, v : vec4<f32>) {
      if (row >= uniforms.dimM) {
        return;
      }
      for (var j = 0; j < 4; j = j + 1) {
        if (col + j < uniforms.dimN) {
          result[base + row * uniforms.dimN + col + j] = v[j];
        }
      }
    }
    `;
  }
}

/** dW = Σ over splits of the partial sums: one thread per filter element. */
export class FilterGradReduceProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey = 'conv2DDerFilterTiledReduce';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['partials'];
  uniforms = 'splits : i32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;

  constructor(filterShape: number[]) {
    this.outputShape = filterShape;
    this.dispatchLayout = { x: filterShape.map((_, i) => i) };
    const size = filterShape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(size / this.workgroupSize[0]), 1, 1];
  }

  getUserCode(): string {
    return `
    ${mainHeader('index')} {
      if (index < uniforms.size) {
        var sum = 0.0;
        for (var s = 0; s < uniforms.splits; s = s + 1) {
          sum = sum + partials[s * uniforms.size + index];
        }
        result[index] = sum;
      }
    }
    `;
  }
}

export type Uniform = { type: 'int32' | 'float32'; data: number[] };

/** The part of tfjs-backend-webgpu's WebGPUBackend these kernels call. */
export interface WebGPUBackendLike {
  runWebGPUProgram(
    program: WebGPUProgramLike,
    inputs: tf.TensorInfo[],
    dtype: tf.DataType,
    uniforms?: Uniform[],
  ): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}
