// docs/BENCHMARKS.md's "Latency: predicted against measured" from one latency run: how well the
// latency model ranks real inference times (Spearman ρ), the pure roofline against the roofline
// plus the measured per-op dispatch cost, and which one to keep. Every verdict is computed here.
import type { LatencyBackend, LatencyResult, LatencyRow } from './latency.ts';
import { spearman } from './rank.ts';
import { median, ms, num } from './stats.ts';

export const LATENCY_HEADING = '## Latency: predicted against measured';

/** Where and when the section was measured: it can be rendered into its place on its own. */
export interface LatencyProvenance {
  date: string;
  command: string;
  loadStart: number[];
  loadEnd: number[];
  cores: number;
}

type Model = 'roofline' | 'overhead';
const MODEL_TEXT: Record<Model, string> = { roofline: 'the pure roofline', overhead: 'the roofline plus the per-op overhead' };
const predictedMs = (r: LatencyRow, m: Model) => (m === 'roofline' ? r.rooflineNs : r.overheadNs) / 1e6;

export interface LatencyFit {
  backend: string;
  batch: number;
  /** ρ of measured time against FLOPs, the roofline, the roofline + overhead: all points, then MorphNet's alone. */
  rho: { flops: number; roofline: number; overhead: number };
  /**
   * The measurements ranked against themselves: the median ρ of one round's times against
   * another's. No model can rank better than the timing noise lets it; NaN with one round.
   */
  retest: number;
  morphnetRho: { flops: number; roofline: number; overhead: number };
  /** measured ÷ predicted: median, smallest, largest. */
  ratio: Record<Model, { median: number; min: number; max: number }>;
  better: Model;
  /** ρ within 0.01 under both models: the spread of the ratio decided. */
  tied: boolean;
}

function rhoOf(rows: LatencyRow[], flops: number[]) {
  const measured = rows.map((r) => r.measuredMs);
  return {
    flops: spearman(rows.map((r) => flops[r.point]!), measured),
    roofline: spearman(rows.map((r) => r.rooflineNs), measured),
    overhead: spearman(rows.map((r) => r.overheadNs), measured),
  };
}

/**
 * The better model ranks better (higher ρ over every point); within 0.01 of each other, the one
 * whose measured ÷ predicted spreads less (max ÷ min), since a constant ratio is what a
 * calibrated model gives.
 */
export function latencyFits(result: LatencyResult): LatencyFit[] {
  const flops = result.points.map((p) => p.flops);
  const morph = new Set(result.points.flatMap((p, i) => (p.family === 'morphnet' ? [i] : [])));
  const out: LatencyFit[] = [];
  for (const b of result.backends) {
    for (const { batch, rows } of b.batches) {
      const ratioOf = (m: Model) => {
        const xs = rows.map((r) => r.measuredMs / predictedMs(r, m));
        return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
      };
      const ratio = { roofline: ratioOf('roofline'), overhead: ratioOf('overhead') };
      const rho = rhoOf(rows, flops);
      const spread = (m: Model) => ratio[m].max / ratio[m].min;
      const close = Math.abs(rho.overhead - rho.roofline) <= 0.01 || (Number.isNaN(rho.overhead) && Number.isNaN(rho.roofline));
      const better: Model = close
        ? spread('overhead') < spread('roofline') ? 'overhead' : 'roofline'
        : rho.overhead > rho.roofline || Number.isNaN(rho.roofline) ? 'overhead' : 'roofline';
      const morphnetRho = rhoOf(rows.filter((r) => morph.has(r.point)), flops);
      out.push({ backend: b.backend, batch, rho, retest: retest(rows), morphnetRho, ratio, better, tied: close });
    }
  }
  return out;
}

/** Median ρ over every pair of rounds. */
function retest(rows: LatencyRow[]): number {
  const rounds = Math.min(...rows.map((r) => r.roundMs.length));
  const pairs: number[] = [];
  for (let a = 0; a < rounds; a++) {
    for (let b = a + 1; b < rounds; b++) pairs.push(spearman(rows.map((r) => r.roundMs[a]!), rows.map((r) => r.roundMs[b]!)));
  }
  return median(pairs);
}

/** The model that ranks better in more configurations; then the one ties went to; then the higher mean ρ. */
export function recommended(fits: LatencyFit[]): Model {
  const count = (m: Model, tied: boolean) => fits.filter((f) => f.better === m && f.tied === tied).length;
  for (const tied of [false, true]) {
    const d = count('overhead', tied) - count('roofline', tied);
    if (d !== 0) return d > 0 ? 'overhead' : 'roofline';
  }
  const mean = (m: Model) => fits.reduce((s, f) => s + f.rho[m], 0) / Math.max(1, fits.length);
  return mean('overhead') > mean('roofline') ? 'overhead' : 'roofline';
}

const cap = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
const rho = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const times = (x: number) => `${num(x, x >= 10 ? 1 : 2)}×`;
const range = (r: { min: number; max: number }) => `${times(r.min)}–${times(r.max)}`;

function deviceLine(b: LatencyBackend): string {
  const d = b.device;
  return (
    `**${b.backend}** measured (\`measureDevice\`): ${num(d.peakGflops, 1)} GFLOP/s (best float32 matmul), ` +
    `${num(d.bandwidthGbs, 1)} GB/s (an elementwise op, bytes read and written), ${num(d.opOverheadNs / 1000, 1)} µs ` +
    'a tiny op (dispatch, not work).'
  );
}

function rowsTable(result: LatencyResult, b: LatencyBackend, batch: number, rows: LatencyRow[]): string[] {
  const lines = [
    `${b.backend}, latency batch ${batch}:`,
    '',
    '| network | FLOPs (one image) | predicted: roofline | predicted: + overhead | measured | measured ÷ roofline | measured ÷ + overhead |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const p = result.points[r.point]!;
    const roof = predictedMs(r, 'roofline');
    const over = predictedMs(r, 'overhead');
    lines.push(
      `| ${p.label} | ${num(p.flops, 0)} | ${ms(roof)} | ${ms(over)} | ${ms(r.measuredMs)} | ${times(r.measuredMs / roof)} | ${times(r.measuredMs / over)} |`,
    );
  }
  return [...lines, ''];
}

export function latencySection(result: LatencyResult | null, prov: LatencyProvenance | null, skipped?: string): string[] {
  if (!result || !prov) return [LATENCY_HEADING, '', `Not run: ${skipped ?? 'no latency run'}.`, ''];
  const fits = latencyFits(result);
  const keep = recommended(fits);
  const other: Model = keep === 'roofline' ? 'overhead' : 'roofline';
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const uniform = result.points.filter((p) => p.family === 'uniform').length;
  const lines = [
    LATENCY_HEADING,
    '',
    `Measured by \`${prov.command}\` on ${prov.date} (${num(result.durationS, 0)} s; load average ` +
      `${load(prov.loadStart)} at the start, ${load(prov.loadEnd)} at the end, ${prov.cores} cores).`,
    '',
    `${result.points.length} networks: resnet-mini's uniform family (${uniform}, ×0.25 to ×1.5) and, from each ` +
      'shipped sweep (public/sweeps), every MorphNet structure as learned (the seed at its alive counts) and ' +
      'as scored (expanded to its budget). On each tfjs backend Node has, the device is measured ' +
      '(src/engine/device-probe.ts), each network is timed (src/engine/inference-time.ts: a forward pass ' +
      `of the network rebuilt at its alive widths, logits read back; per network the fastest of ${result.rounds} rounds' medians of ${result.runs} passes, after a warm-up pass, ` +
      'the rounds taken over all networks in turn so a burst of load from elsewhere lands on one round), ' +
      'and the latency model (src/morphnet/latency.ts, `networkLatency`) predicts it for that measured device: ' +
      'the pure roofline (Σ max(FLOPs ÷ peak, bytes ÷ bandwidth) over the priced ops, as the reference), and ' +
      'the same plus the measured cost of one tiny op for each priced op (`Hardware.opOverheadNs`). ' +
      "ρ is Spearman's rank correlation of prediction and measurement (1: the same order); the MorphNet " +
      'columns rank only the MorphNet structures, whose FLOPs lie close together, the harder test. ' +
      "The round-against-round ρ ranks one round's times by another's: the most any model can reach " +
      'through the timing noise of this machine.',
    '',
    '| backend | latency batch | ρ round against round (the noise) | ρ FLOPs | ρ roofline | ρ + overhead | MorphNet only: ρ FLOPs / roofline / + overhead | measured ÷ roofline (median, range) | measured ÷ + overhead (median, range) | ranks better |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...fits.map(
      (f) =>
        `| ${f.backend} | ${f.batch} | ${rho(f.retest)} | ${rho(f.rho.flops)} | ${rho(f.rho.roofline)} | ${rho(f.rho.overhead)} | ` +
        `${rho(f.morphnetRho.flops)} / ${rho(f.morphnetRho.roofline)} / ${rho(f.morphnetRho.overhead)} | ` +
        `${times(f.ratio.roofline.median)} (${range(f.ratio.roofline)}) | ${times(f.ratio.overhead.median)} (${range(f.ratio.overhead)}) | ` +
        `${f.better === 'roofline' ? 'roofline' : '+ overhead'}${f.tied ? ' (ρ tied: the steadier ratio)' : ''} |`,
    ),
    '',
    ...verdict(result, fits, keep, other),
    '',
    ...result.backends.map(deviceLine).flatMap((l) => [l, '']),
  ];
  for (const b of result.backends) for (const { batch, rows } of b.batches) lines.push(...rowsTable(result, b, batch, rows));
  return lines;
}

/** measured ÷ roofline of the config's smallest and largest network (by FLOPs). */
function sizeTrend(result: LatencyResult, fit: LatencyFit) {
  const rows = result.backends.find((b) => b.backend === fit.backend)!.batches.find((x) => x.batch === fit.batch)!.rows;
  const byFlops = [...rows].sort((a, b) => result.points[a.point]!.flops - result.points[b.point]!.flops);
  const ratio = (r: LatencyRow) => r.measuredMs / predictedMs(r, 'roofline');
  const small = byFlops[0]!;
  const large = byFlops.at(-1)!;
  return { small: result.points[small.point]!.label, smallRatio: ratio(small), large: result.points[large.point]!.label, largeRatio: ratio(large) };
}

function verdict(result: LatencyResult, fits: LatencyFit[], keep: Model, other: Model): string[] {
  const wins = (m: Model) => fits.filter((f) => f.better === m && !f.tied).length;
  const ties = fits.filter((f) => f.tied);
  const tiesKept = ties.filter((f) => f.better === keep).length;
  const worst = fits.reduce((a, f) => (f.rho.roofline < a.rho.roofline ? f : a), fits[0]!);
  const t = sizeTrend(result, worst);
  const flopsBeat = fits.filter((f) => Math.max(f.rho.overhead, f.rho.roofline) > f.rho.flops).length;
  // Dispatch-bound: the smaller the network, the more its time exceeds the roofline's.
  const dispatch = t.smallRatio >= 2 * t.largeRatio;
  const medians = fits.map((f) => f.ratio[keep].median);
  const choice =
    wins(keep) + wins(other) === 0
      ? `The two models rank alike in all ${fits.length} backend and batch configurations (ρ within 0.01): one ` +
        'constant per priced op hardly reorders networks whose op counts differ little. ' +
        `${cap(MODEL_TEXT[keep])} is kept because its measured ÷ predicted spreads less in ${tiesKept} of ${fits.length}; ` +
        `${MODEL_TEXT[other]} is reported beside it.`
      : `${cap(MODEL_TEXT[keep])} is the one to keep: of the ${fits.length} backend and batch configurations it ` +
        `ranks better in ${wins(keep)}, ${MODEL_TEXT[other]} in ${wins(other)}, and they tie in ${ties.length}` +
        (ties.length > 0 ? ` (its measured ÷ predicted spreads less in ${tiesKept} of those)` : '') +
        `; ${MODEL_TEXT[other]} is reported beside it.`;
  return [
    `**Reading.** ${choice} The pure roofline ranks worst on ${worst.backend} at batch ${worst.batch} ` +
      `(ρ ${rho(worst.rho.roofline)}). There the smallest network (${t.small}) takes ${times(t.smallRatio)} its ` +
      `roofline prediction and the largest (${t.large}) ${times(t.largeRatio)}` +
      (dispatch
        ? ': small kernels are dispatch-bound, each op costing a fixed time whatever its size, which FLOPs and ' +
          'bytes cannot see; the per-op term prices that time (measured ÷ predicted ' +
          `${range(worst.ratio.roofline)} without it, ${range(worst.ratio.overhead)} with it).`
        : ': less than twice as much, so dispatch cost explains little of the misranking; the timing noise of ' +
          'a shared machine explains more (see the load average above).') +
      ` A latency model ranks better than FLOPs alone in ${flopsBeat} of ${fits.length} configurations` +
      (2 * flopsBeat < fits.length
        ? ': on these backends the roofline adds no ranking power over the FLOP count; what it adds is the unit, ' +
          `time on this device, its median measured ÷ predicted lying between ${times(Math.min(...medians))} and ` +
          `${times(Math.max(...medians))} across the configurations. `
        : '. ') +
      noiseNote(fits) +
      "The ratio is not 1: Node's backends run ops the model does not price (pooling, the global average, " +
      'reshapes, the logits read back) and a convolution rarely reaches the best matmul or copy rate.',
  ];
}

/** Where single rounds disagree with each other, the run cannot tell the models apart there: said. */
function noiseNote(fits: LatencyFit[]): string {
  const noisy = fits.filter((f) => f.retest < 0.9);
  if (noisy.length === 0) return '';
  const list = noisy.map((f) => `${f.backend} at batch ${f.batch}, ${rho(f.retest)}`).join('; ');
  return (
    `Round against round the measurements themselves rank below 0.9 in ${noisy.length} configuration${noisy.length === 1 ? '' : 's'} ` +
    `(${list}): there the machine's load, not the model, limits ρ, and a difference in ρ of a few hundredths means nothing. `
  );
}

/** The section that follows the latency section in a whole report (report.ts's order). */
export const AFTER_LATENCY = '## Browser (headless Chromium)';

/**
 * `doc` with the latency section replaced by `section`; one that has none gets it where a whole
 * report has it (before AFTER_LATENCY), or at the end.
 */
export function spliceSection(doc: string, section: string): string {
  const lines = doc.split('\n');
  const start = lines.indexOf(LATENCY_HEADING);
  const body = section.replace(/\n+$/, '').split('\n');
  if (start < 0) {
    const at = lines.indexOf(AFTER_LATENCY);
    if (at < 0) return `${doc.replace(/\n+$/, '')}\n\n${body.join('\n')}\n`;
    return [...lines.slice(0, at), ...body, '', ...lines.slice(at)].join('\n');
  }
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  const after = lines.slice(end);
  return [...lines.slice(0, start), ...body, ...(after.length > 0 ? ['', ...after] : [''])].join('\n');
}
