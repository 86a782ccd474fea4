// The "Training kernels" section of docs/BENCHMARKS.md and its reading: what each kernel the
// project replaced costs against what it replaced, measured in the same run (kernels.ts).
import type { KernelResult } from './kernels.ts';
import type { Reading } from './report.ts';
import type { TorchResult } from './torch.ts';
import { list, median, ms, num, pct } from './stats.ts';

/** Issue 10: the Node wasm step for resnet-mini at batch 32 at least 2× faster than before. */
export const STEP_SPEEDUP_TARGET = 2;

export function stepSpeedup(k: KernelResult): number {
  return median(k.step.beforeMs) / median(k.step.afterMs);
}

/** Quartile q (0..1) of xs by nearest rank. */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.round(q * (s.length - 1))] ?? NaN;
}

/** Round-by-round ratios a[i]/b[i] (the rounds alternate the configurations): median and quartiles. */
export function pairedRatio(
  a: readonly number[],
  b: readonly number[],
): { median: number; q1: number; q3: number } {
  const r = a.slice(0, b.length).map((x, i) => x / b[i]!);
  return { median: median(r), q1: quantile(r, 0.25), q3: quantile(r, 0.75) };
}

function ratioText(a: readonly number[] | undefined, b: readonly number[] | undefined): string {
  if (!a?.length || !b?.length) return 'n/a';
  const r = pairedRatio(a, b);
  return `${num(r.median, 3)}× (quartiles ${num(r.q1, 3)}-${num(r.q3, 3)})`;
}

/** Each replacement alone switched back: how much slower the step is without it. */
function ablationRows(k: KernelResult): string[] {
  const after = median(k.step.afterMs);
  return k.ablation.map(
    (a) =>
      `| ${a.name} | ${ms(median(a.withoutMs))} | ${ms(median(a.withoutMs) - after)} | ${ratioText(a.withoutMs, k.step.afterMs)} | ${ratioText(a.withoutCpuMs, k.step.afterCpuMs)} |`,
  );
}

export function achievedGflops(k: KernelResult, stepMs: number): number {
  return k.stepFlops / (stepMs / 1000) / 1e9;
}

export function kernelReadings(k: KernelResult | null): Reading[] {
  if (!k) return [];
  const x = stepSpeedup(k);
  return [
    {
      target: `Node wasm step (resnet-mini, batch ${k.batch}) ≥ ${STEP_SPEEDUP_TARGET}× faster than the stock-composed kernels`,
      measured: `${num(x)}× (${ms(median(k.step.beforeMs))} → ${ms(median(k.step.afterMs))}, alternated in one process)`,
      ok: x >= STEP_SPEEDUP_TARGET,
    },
  ];
}

function caseRows(rows: KernelResult['filterGrad']): string[] {
  return rows.map(
    (r) =>
      `| ${r.layer} | ${r.shape} | ${ms(r.beforeMs)} | ${ms(r.afterMs)} | ${num(r.beforeMs / r.afterMs)}× | ${r.route} |`,
  );
}

export function kernelSection(k: KernelResult | null, skipped?: string, torch?: TorchResult): string[] {
  const title = '## Training kernels (Node, wasm)';
  if (!k) return [title, '', `Not run: ${skipped ?? 'not asked for'}.`, ''];
  const before = median(k.step.beforeMs);
  const after = median(k.step.afterMs);
  const fgBefore = k.filterGrad.reduce((s, r) => s + r.beforeMs, 0);
  const fgNow = k.filterGrad.reduce((s, r) => s + (r.route === 'im2col' ? r.beforeMs : r.afterMs), 0);
  return [
    title,
    '',
    'Each kernel the project replaced, timed against what it replaced in the same process, so both ' +
      "sides share the machine's load. **Before** is the engine as it was: the filter gradient as " +
      'im2col + a matmul for every layer, the input gradient as a conv of zero-stuffed dy, batch norm ' +
      "composed from tfjs ops (~20 kernels a layer), Identity copying, tfjs's momentum update (four " +
      'kernels a variable). **After** is what the engine runs now (src/engine/wasm-kernels.ts, ' +
      'wasm-polyphase.ts, batchnorm-kernels.ts with simd-batchnorm.ts, fused-momentum.ts). Before, after and each replacement ' +
      'alone switched back are stepped in turn, the order rotated every round (scripts/bench/kernels-step.ts).',
    '',
    '| whole resnet-mini step, batch ' + k.batch + ' | median | samples (ms) |',
    '| --- | --- | --- |',
    `| before | ${ms(before)} | ${list(k.step.beforeMs)} |`,
    `| after | ${ms(after)} | ${list(k.step.afterMs)} |`,
    '',
    `**Step:** ${num(before / after)}× faster (round by round: ${ratioText(k.step.beforeMs, k.step.afterMs)}; ` +
      `in process CPU time, which leaves out the time other work held the core: ${ratioText(k.step.beforeCpuMs, k.step.afterCpuMs)}). At ${num(k.stepFlops / 1e9)} GFLOP a step (3 × the cost ` +
      `model's forward FLOPs × batch) that is ${num(achievedGflops(k, after), 1)} GFLOP/s, ` +
      `${pct(achievedGflops(k, after) / k.matmulGflops)} of wasm's own 1024³ matmul on this machine ` +
      `(${num(k.matmulGflops, 1)} GFLOP/s, one thread; before: ${num(achievedGflops(k, before), 1)} GFLOP/s).`,
    '',
    '**Each replacement alone switched back**, the rest on: the step without it, what it saves, and ' +
      'the ratio to the all-on step round by round, in wall-clock and in CPU time (the quartiles show the noise):',
    '',
    '| switched back | step | saves | ratio | CPU-time ratio |',
    '| --- | --- | --- | --- | --- |',
    ...ablationRows(k),
    '',
    '**Filter gradient** (Conv2DBackpropFilter) per conv layer: im2col (before) against one dilated ' +
      `Conv2D of x with dy (after); the engine takes the faster route per shape. Sum over the layers: ` +
      `${ms(fgBefore)} → ${ms(fgNow)}.`,
    '',
    '| layer | input → filter | im2col | dilated conv | ratio | route taken |',
    '| --- | --- | --- | --- | --- | --- |',
    ...caseRows(k.filterGrad),
    '',
    '**Input gradient** (Conv2DBackpropInput) per conv layer past the stem: dy convolved with the ' +
      'rotated filter after zero-stuffing (before) against one conv per output phase with only the taps ' +
      `that reach it (after). Sum: ${ms(k.inputGrad.reduce((s, r) => s + r.beforeMs, 0))} → ` +
      `${ms(k.inputGrad.reduce((s, r) => s + r.afterMs, 0))}.`,
    '',
    '| layer | dy → dx, filter | zero-stuffed | polyphase | ratio | route taken |',
    '| --- | --- | --- | --- | --- | --- |',
    ...caseRows(k.inputGrad),
    '',
    '**Batch norm**, forward + backward of one training-mode layer (`tf.grads`), composed ops (before) ' +
      'against the fused kernels (after), one row per distinct shape:',
    '',
    '| first layer | activation | composed | fused | ratio | route taken |',
    '| --- | --- | --- | --- | --- | --- |',
    ...caseRows(k.batchNorm),
    '',
    ...torchLines(k, torch),
    '**Threads.** These are one-thread figures. In Node tfjs-backend-wasm turns threads off (its ' +
      "flag refuses Node, its Blob-URL workers fail there), so the CLI's wasm uses one core.",
    '',
  ];
}

/** PyTorch eager on the same CPU beside the engine's step, and how far the engine still is. */
export function torchLines(k: KernelResult, torch: TorchResult | undefined): string[] {
  if (torch === undefined) return [];
  if ('skipped' in torch) return [`**PyTorch peer:** not run: ${torch.skipped}.`, ''];
  const t = median(torch.stepMs);
  const after = median(k.step.afterMs);
  const than = (engineMs: number) => {
    const r = engineMs / t;
    return r >= 1 ? `${num(r, 1)}× slower than PyTorch` : `${num(1 / r, 1)}× faster than PyTorch`;
  };
  return [
    `**PyTorch peer:** the same resnet-mini, exported by \`morphnet export --format pytorch\`, batch ` +
      `${torch.batch}, SGD with momentum and the MorphNet term, eager PyTorch ${torch.torch} on ` +
      `${torch.threads} thread(s) (scripts/bench/torch_step.py): ${ms(t)} a step (${list(torch.stepMs)}), ` +
      `${num(achievedGflops(k, t), 1)} GFLOP/s. The engine's wasm step is ${than(after)} ` +
      `(before these kernels: ${than(median(k.step.beforeMs))}). The engine runs on one thread, and ` +
      'XNNPACK in tfjs gets no fused conv + batch norm + ReLU or cached weight packing in training; ' +
      "PyTorch's two threads suffer most when other work shares the cores (see the load above).",
    '',
  ];
}
