// The "WebGPU training kernels" section of docs/BENCHMARKS.md: tfjs's WebGPU Conv2DBackpropFilter
// against the tiled replacement, per resnet-mini conv shape and over a whole step, from one run of
// webgpu-kernels.ts. Rendered by `npm run bench -- --only webgpu-kernels` into its place, and by a
// whole `npm run bench` at the end of the report.
import type { BatchNormRun } from './bn-timing.ts';
import type { FilterGradTiming } from './filter-grad-timing.ts';
import { pairedRatio } from './report-kernels.ts';
import { list, median, ms, num } from './stats.ts';
import type { WebGPUKernelResult } from './webgpu-kernels.ts';

export const WEBGPU_HEADING = '## WebGPU training kernels (headless Chromium)';

export interface WebGPUProvenance {
  date: string;
  command: string;
  loadStart: number[];
  loadEnd: number[];
  cores: number;
}

function ratio(stock: readonly number[], tiled: readonly number[]): string {
  if (stock.length === 0 || tiled.length === 0) return 'n/a';
  const r = pairedRatio(stock, tiled);
  return `${num(r.median, 2)}× (${num(r.q1, 2)}-${num(r.q3, 2)})`;
}

function shapeRow(s: FilterGradTiming): string {
  const layers = s.layers.length > 1 ? `${s.layers[0]} and ${s.layers.length - 1} more` : s.layers[0]!;
  return (
    `| ${layers} | ${s.x.join('×')} | ${s.filter.join('×')} | ${s.stride} | ${ms(median(s.stockMs))} | ` +
    `${ms(median(s.tiledMs))} | ${ratio(s.stockMs, s.tiledMs)} |`
  );
}

function batchNormLines(bn: BatchNormRun): string[] {
  const count = bn.shapes.reduce((n, s) => n + s.layers.length, 0);
  const layers = (l: string[]) => (l.length > 1 ? `${l[0]} and ${l.length - 1} more` : l[0]!);
  return [
    `**Batch norm** (training mode, forward and gradient through tf.grad, at every batch-norm shape of the step): ` +
      'composed from tfjs ops as model.ts composes it without the custom kernels, against BN_TRAIN and BN_TRAIN_GRAD ' +
      'as WebGPU programs (src/engine/webgpu-batchnorm.ts: 4 dispatches each way). ' +
      `Median over ${bn.rounds} alternated rounds; ratio composed ÷ fused.`,
    '',
    '| layers | input | composed | fused | ratio |',
    '| --- | --- | --- | --- | --- |',
    ...bn.shapes.map(
      (s) =>
        `| ${layers(s.layers)} | ${s.x.join('×')} | ${ms(median(s.composedMs))} | ${ms(median(s.fusedMs))} | ${ratio(s.composedMs, s.fusedMs)} |`,
    ),
    `| **one step's ${count} batch norms** | | ${ms(median(bn.stepComposedMs))} | ${ms(median(bn.stepFusedMs))} | ${ratio(bn.stepComposedMs, bn.stepFusedMs)} |`,
    '',
  ];
}

const load = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');

export function webgpuSection(
  r: WebGPUKernelResult | null,
  prov: WebGPUProvenance | null,
  skipped?: string,
): string[] {
  if (!r || !prov) return [WEBGPU_HEADING, '', `Not run: ${skipped ?? 'not asked for'}.`, ''];
  const run = r.run;
  const layers = run.shapes.reduce((n, s) => n + s.layers.length, 0);
  const software = /swiftshader|llvmpipe|lavapipe/i.test(r.adapter);
  const lines = [
    WEBGPU_HEADING,
    '',
    "tfjs 4.22's WebGPU `Conv2DBackpropFilter` (one thread per filter element, each looping over " +
      "batch × outHeight × outWidth) against the project's tiled matmul with split-K " +
      `(src/engine/webgpu-kernels.ts), at every conv layer shape of resnet-mini at batch ${run.batch}, ` +
      `on the ${r.adapter} adapter of headless Chromium ${r.chromium}. Each cell is the median over ` +
      `${run.rounds} rounds (${run.reps === 1 ? 'one call' : `${run.reps} queued calls`} closed by one readback), the two kernels ` +
      'alternated round by round; the ratio is stock ÷ tiled round by round, median (quartiles).',
    '',
  ];
  if (software) {
    lines.push(
      '**This adapter is a CPU emulation of a GPU** (it runs the shaders on the CPU cores): these ratios say ' +
        "what the replacement does on an emulator, not what a GPU gains; a GPU's gain comes from filling " +
        'thousands of threads, which an emulator on a few cores cannot show. `scripts/bench/gpu/` measures ' +
        'the same comparison on a real GPU through Dawn in Node.',
      '',
    );
  }
  lines.push(
    '| layers | input | filter | stride | tfjs (stock) | tiled | ratio |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...run.shapes.map(shapeRow),
    `| **one step's ${layers} filter gradients** | | | | ${ms(median(run.stepStockMs))} | ${ms(median(run.stepTiledMs))} | ${ratio(run.stepStockMs, run.stepTiledMs)} |`,
    '',
  );
  if (r.step) {
    const s = r.step;
    lines.push(
      `**Whole training step** (the engine's resnet-mini step at batch ${s.batch}, SGD with momentum and ` +
        'the MorphNet term, in one session with only the filter gradient switched, alternated): ' +
        `stock ${ms(median(s.stockMs))} (${list(s.stockMs)}), tiled ${ms(median(s.tiledMs))} ` +
        `(${list(s.tiledMs)}), ${ratio(s.stockMs, s.tiledMs)}.`,
      '',
    );
  } else lines.push('**Whole training step:** not run (`--step-rounds 0`).', '');
  if (r.bn) lines.push(...batchNormLines(r.bn));
  if (r.bothStep) {
    const s = r.bothStep;
    lines.push(
      "**Whole training step, both replacements against neither** (the same step with tfjs's filter gradient and " +
        `the composed batch norm, against the tiled filter gradient and the WebGPU batch norm, alternated): ` +
        `neither ${ms(median(s.stockMs))} (${list(s.stockMs)}), both ${ms(median(s.tiledMs))} ` +
        `(${list(s.tiledMs)}), ${ratio(s.stockMs, s.tiledMs)}.`,
      '',
    );
  }
  lines.push(
    `Measured ${prov.date} with \`${prov.command}\` on ${prov.cores} cores; load average ` +
      `${load(prov.loadStart)} at the start, ${load(prov.loadEnd)} at the end.`,
    '',
  );
  return lines;
}

/** `doc` with the WebGPU section replaced by `section`, or with it appended where it has none. */
export function spliceWebGPUSection(doc: string, section: string): string {
  const lines = doc.split('\n');
  const body = section.replace(/\n+$/, '').split('\n');
  const start = lines.indexOf(WEBGPU_HEADING);
  if (start < 0) return `${doc.replace(/\n+$/, '')}\n\n${body.join('\n')}\n`;
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  const after = lines.slice(end);
  return [...lines.slice(0, start), ...body, ...(after.length > 0 ? ['', ...after] : [''])].join('\n');
}
