// docs/RESULTS.md from the runs it reads: every number and every sentence that judges one is
// computed here, so regenerating after a change can never leave a stale claim behind.
import type { SweepFile } from '../../src/morphnet/sweep.ts';
import { readPattern, type PatternReading } from './pattern.ts';
import type { TrainRun } from './runs.ts';
import { compareSweep, curve } from './tradeoff.ts';

export interface ResultsInput {
  flops: TrainRun;
  size: TrainRun;
  sweep: SweepFile | null;
  /** Sweeps of the uniform ×1 network alone from other seeds: the run-to-run spread. */
  noise: SweepFile[];
  /** The commands that produced the inputs, shown verbatim. */
  commands: { train: string[]; sweep: string[] | null; report: string };
  /** When the report was written (ISO date). */
  date: string;
  device: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} points`;
const mflops = (x: number) => `${(x / 1e6).toFixed(2)} M`;
const kparams = (x: number) => `${(x / 1e3).toFixed(1)} k`;
const yes = (b: boolean) => (b ? 'holds' : '**does not hold**');

function runTable(r: ResultsInput): string {
  const row = (label: string, run: TrainRun) =>
    `| ${label} | ${pct(run.final.flops / run.seed.flops)} | ${pct(run.final.params / run.seed.params)} | ${pct(run.final.testAccuracy)} | ${run.final.step} | ${run.final.seconds.toFixed(0)} s |`;
  return [
    '| run | FLOPs vs seed | size (parameters) vs seed | test accuracy | steps | time |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('target FLOPs', r.flops),
    row('target size', r.size),
  ].join('\n');
}

function layerTable(p: PatternReading): string {
  const lines = [
    '| layer | output | seed width | FLOPs run alive | size run alive | FLOPs per channel | params per channel |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const l of p.rows) {
    lines.push(
      `| ${l.name} | ${l.side} | ${l.seedWidth} | ${l.flopsAlive} (${pct(l.flopsAlive / l.seedWidth)}) | ${l.sizeAlive} (${pct(l.sizeAlive / l.seedWidth)}) | ${Math.round(l.flopsPerChannel).toLocaleString('en-US')} | ${Math.round(l.paramsPerChannel).toLocaleString('en-US')} |`,
    );
  }
  return lines.join('\n');
}

function costSentence(p: PatternReading): string {
  const mean = (names: string[], key: 'flopsPerChannel' | 'paramsPerChannel') => {
    const rows = p.rows.filter((r) => names.includes(r.name));
    return Math.round(rows.reduce((a, r) => a + r[key], 0) / Math.max(1, rows.length)).toLocaleString(
      'en-US',
    );
  };
  return `Why they differ: an output channel of an early layer costs on average ${mean(p.early.layers, 'flopsPerChannel')} FLOPs and ${mean(p.early.layers, 'paramsPerChannel')} parameters; one of a late layer ${mean(p.late.layers, 'flopsPerChannel')} FLOPs and ${mean(p.late.layers, 'paramsPerChannel')} parameters. The regularizer weights each γ by its channel's cost in the targeted resource, so each target cuts where its resource is spent.`;
}

function patternText(p: PatternReading): string {
  const all = p.flopsThinsEarly && p.sizeThinsLate && p.relative;
  return [
    `Early layers (output ${p.early.side}: ${p.early.layers.join(', ')}) against late layers (output ${p.late.side}: ${p.late.layers.join(', ')}), channel-weighted alive fractions:`,
    '',
    '| | early (high resolution) | late (low resolution, wide) |',
    '| --- | ---: | ---: |',
    `| target FLOPs keeps | ${pct(p.early.flops)} | ${pct(p.late.flops)} |`,
    `| target size keeps | ${pct(p.early.size)} | ${pct(p.late.size)} |`,
    '',
    `- Targeting FLOPs thins the early layers more than the late ones: ${yes(p.flopsThinsEarly)}.`,
    `- Targeting size thins the late layers more than the early ones: ${yes(p.sizeThinsLate)}.`,
    `- Relative to the size run, the FLOPs run is thinner early (${pct(p.early.flops / p.early.size)} of the size run's early width) than late (${pct(p.late.flops / p.late.size)}): ${yes(p.relative)}.`,
    '',
    all
      ? "The paper's pattern shows in this pair of runs."
      : "The paper's pattern shows only in part here: see the rows marked above.",
  ].join('\n');
}

/** Accuracy of the uniform ×1 network per seed, this sweep's first. */
export function seedSpread(sweep: SweepFile, noise: SweepFile[]): { seed: number; accuracy: number }[] {
  const at1 = (f: SweepFile) =>
    f.points.find((p) => p.settings.family === 'uniform' && p.settings.multiplier === 1);
  return [sweep, ...noise].flatMap((f) => {
    const p = at1(f);
    return p ? [{ seed: f.settings.seed, accuracy: p.testAccuracy }] : [];
  });
}

/** A heading of depth `n` (1 = the title), one deeper when the report holds several datasets. */
type Heading = (n: number) => string;
const headings =
  (shift: number): Heading =>
  (n) =>
    '#'.repeat(n + shift);

/** What the trade-off sweep says, in numbers: each MorphNet point against each baseline, and the seed spread. */
export function sweepReading(sweep: SweepFile, noise: SweepFile[]) {
  const comparisons = compareSweep(sweep);
  const vsU = comparisons.map((c) => c.vsUniform).filter((x): x is number => x !== null);
  const vsP = comparisons.map((c) => c.vsPruning).filter((x): x is number => x !== null);
  const seeds = seedSpread(sweep, noise);
  const accs = seeds.map((x) => x.accuracy);
  const spread = seeds.length > 1 ? Math.max(...accs) - Math.min(...accs) : null;
  const ua = curve(sweep.points, 'uniform').map((u) => u.accuracy);
  const uniformRange = ua.length > 1 ? Math.max(...ua) - Math.min(...ua) : 0;
  return { comparisons, vsU, vsP, seeds, spread, uniformRange };
}

/** Which engine trained a run, in the report's words: "tfjs (wasm)", "PyTorch (cpu)". */
export function engineWords(engine: string | undefined, backend: string): string {
  return engine === 'pytorch' ? `PyTorch (${backend})` : `tfjs (${backend})`;
}

/** A sweep's engines: its settings name them since --engine (before that, tfjs throughout). */
function sweepEngine(s: SweepFile['settings']): string {
  const e = s as SweepFile['settings'] & {
    engine?: string;
    torchDevice?: string;
    pruningEngine?: string | null;
  };
  if (e.engine !== 'pytorch') return engineWords('tfjs', s.backend);
  const pruning =
    e.pruningEngine === 'tfjs' ? `, the pruning family on ${engineWords('tfjs', s.backend)}` : '';
  return `${engineWords('pytorch', e.torchDevice ?? 'cpu')}${pruning}`;
}

function sweepSection(sweep: SweepFile, noise: SweepFile[], commands: string[] | null, h: Heading): string {
  const s = sweep.settings;
  const seedFlops = sweep.seed.flops;
  const lines = [
    `${h(2)} MorphNet against a uniform width multiplier and magnitude pruning`,
    '',
    commands ? '```sh\n' + commands.join('\n') + '\n```\n' : '',
    `${sweep.settings.spec} on ${s.dataset}, seed ${s.seed}, ${s.steps} steps of batch ${s.batch} per network (pruning: the trained seed, then ${s.finetune} fine-tuning steps, so a pruned network has had ${s.steps + s.finetune} steps in all against ${s.steps} for the others), target ${s.target}. Test accuracy on ${sweep.testExamples.toLocaleString('en-US')} test images. Whole sweep: ${(sweep.seconds / 60).toFixed(1)} min on ${sweepEngine(s)}.`,
    '',
    '| family | point | FLOPs | vs seed | parameters | test accuracy |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const p of sweep.points) {
    lines.push(
      `| ${p.family} | ${p.label} | ${mflops(p.flops)} | ${pct(p.flops / seedFlops)} | ${kparams(p.params)} | ${pct(p.testAccuracy)} |`,
    );
  }
  for (const k of sweep.skipped) lines.push(`| ${k.family} | ${k.label} | skipped: ${k.reason} | | | |`);
  const uniform = curve(sweep.points, 'uniform');
  const floor = uniform[0]?.flops;
  const ratio = (x: number | null, atFloor: boolean) =>
    x === null ? 'not reached in the measured range' : `${atFloor ? '≤ ' : ''}${x.toFixed(2)}×`;
  lines.push(
    '',
    'At equal FLOPs (the baseline interpolated in log FLOPs between its two neighbours; "–" outside its measured range), and the FLOPs the baseline needs to reach the same accuracy, as a multiple of the MorphNet point\'s FLOPs (above 1: MorphNet needs fewer):',
    '',
    '| MorphNet point | FLOPs vs seed | accuracy | vs uniform | vs pruning | uniform needs | pruning needs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const { comparisons, vsU, vsP, seeds, spread, uniformRange: range } = sweepReading(sweep, noise);
  for (const c of comparisons) {
    const uAtFloor =
      c.uniformFlopsRatio !== null && floor !== undefined && c.uniformFlopsRatio * c.point.flops === floor;
    lines.push(
      `| ${c.point.label} | ${pct(c.point.flops / seedFlops)} | ${pct(c.point.testAccuracy)} | ${c.vsUniform === null ? '–' : pts(c.vsUniform)} | ${c.vsPruning === null ? '–' : pts(c.vsPruning)} | ${ratio(c.uniformFlopsRatio, uAtFloor)} | ${ratio(c.pruningFlopsRatio, false)} |`,
    );
  }
  const accs = seeds.map((x) => x.accuracy);
  const summary = (xs: number[], name: string) => {
    if (xs.length === 0) return `- No MorphNet point falls inside ${name}'s measured FLOPs range.`;
    const wins = xs.filter((x) => x > 0).length;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const beyond =
      spread === null
        ? ''
        : `; by more than the seed-to-seed spread at ${xs.filter((x) => x > spread).length}, behind by more than it at ${xs.filter((x) => x < -spread).length}`;
    return `- Against ${name}, MorphNet is more accurate at ${wins} of ${xs.length} comparable points (mean difference ${pts(mean)}${beyond}).`;
  };
  lines.push('', summary(vsU, 'the uniform multiplier'), summary(vsP, 'magnitude pruning'));
  if (spread !== null) {
    lines.push(
      '',
      `Run-to-run spread: the uniform ×1 network trained from seeds ${seeds.map((x) => x.seed).join(', ')} scored ${accs.map(pct).join(', ')}, a spread of ${(100 * spread).toFixed(1)} points. A difference smaller than that is not evidence either way.`,
    );
    lines.push(
      '',
      `Across the whole uniform family (${pct((uniform[0]?.flops ?? 0) / seedFlops)} to ${pct((uniform.at(-1)?.flops ?? 0) / seedFlops)} of the seed's FLOPs) accuracy moves ${(100 * range).toFixed(1)} points, ${(range / spread).toFixed(1)}× the seed spread` +
        (range < 3 * spread
          ? ': here most networks sit near the same ceiling, so the families are hard to tell apart; a harder dataset or longer training leaves more room.'
          : '.'),
    );
  }
  return lines.join('\n');
}

const DATASET_NAMES: Record<string, string> = { mnist: 'MNIST', fashion: 'Fashion-MNIST', shapes: 'Shapes' };
/** Both train runs' engine, or each one's when they differ. */
function trainEngines(r: ResultsInput): string {
  const [a, b] = [r.flops.settings, r.size.settings].map((s) => engineWords(s.engine, s.backend));
  return a === b ? a! : `${a} (the FLOPs run) and ${b} (the size run)`;
}

const datasetName = (r: ResultsInput) => DATASET_NAMES[r.flops.settings.dataset] ?? r.flops.settings.dataset;

const intro = (report: string, date: string, device: string) =>
  `Written by \`${report}\` on ${date} (${device}). Every number and every "holds" below is computed from the runs; nothing is typed in by hand. One seed each: differences of a point or two in accuracy are within run-to-run noise.`;

/** One dataset's report: its title when alone, or a section of a report over several. */
export function renderResults(r: ResultsInput, nested = false): string {
  const h = headings(nested ? 1 : 0);
  const f = r.flops.settings;
  const p = readPattern(r.flops.spec, r.flops.final.alive, r.size.final.alive);
  const out = [
    ...(nested
      ? [`## ${datasetName(r)}`]
      : [
          '# Results: does MorphNet learn different networks for FLOPs and for size?',
          '',
          intro(r.commands.report, r.date, r.device),
        ]),
    '',
    `${h(2)} FLOPs against size, same seed, same length`,
    '',
    '```sh',
    ...r.commands.train,
    '```',
    '',
    `${f.spec} on ${f.dataset}, seed ${f.seed}, strength ${f.strength} × 1/F(seed), threshold ${f.threshold}, learning rate ${f.lr}, batch ${f.batch}, ${f.steps} steps on ${trainEngines(r)}. The two runs differ only in the target. Accuracy on ${r.flops.final.testExamples.toLocaleString('en-US')} test images, batch-norm statistics re-estimated first.`,
    '',
    runTable(r),
    '',
    `${h(3)} Per layer`,
    '',
    layerTable(p),
    '',
    costSentence(p),
    '',
    `${h(3)} The pattern`,
    '',
    patternText(p),
  ];
  if (r.sweep) out.push('', sweepSection(r.sweep, r.noise, r.commands.sweep, h));
  else
    out.push(
      '',
      `${h(2)} MorphNet against the baselines`,
      '',
      'Not measured in this report (run without `--no-sweep`).',
    );
  return out.join('\n') + '\n';
}

/** Mean of the differences and how many are wins, as "+0.4 points (4 of 6 ahead)". */
function meanWins(xs: number[]): string {
  if (xs.length === 0) return 'no comparable point';
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `${pts(mean)} (ahead at ${xs.filter((x) => x > 0).length} of ${xs.length})`;
}

/** The report over every dataset measured: a table of the verdicts, then each dataset in full. */
export function renderReport(parts: ResultsInput[]): string {
  const [first] = parts;
  if (!first) throw new Error('renderReport: no dataset to report');
  if (parts.length === 1) return renderResults(first);
  const lines = [
    '# Results: does MorphNet learn different networks for FLOPs and for size, and does it beat the simple baselines?',
    '',
    intro(first.commands.report, first.date, first.device),
    '',
    '## At a glance',
    '',
    "| dataset | paper's FLOPs/size pattern | accuracy, FLOPs run / size run | MorphNet vs uniform multiplier, at equal FLOPs | MorphNet vs magnitude pruning | seed-to-seed spread | uniform family's accuracy range |",
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of parts) {
    const p = readPattern(r.flops.spec, r.flops.final.alive, r.size.final.alive);
    const checks = [p.flopsThinsEarly, p.sizeThinsLate, p.relative].filter(Boolean).length;
    const acc = `${pct(r.flops.final.testAccuracy)} / ${pct(r.size.final.testAccuracy)}`;
    const sw = r.sweep ? sweepReading(r.sweep, r.noise) : null;
    const spread = sw?.spread == null ? '–' : `${(100 * sw.spread).toFixed(1)} points`;
    lines.push(
      `| ${datasetName(r)} | ${checks === 3 ? 'holds' : `${checks} of 3 checks hold`} | ${acc} | ${sw ? meanWins(sw.vsU) : '–'} | ${sw ? meanWins(sw.vsP) : '–'} | ${spread} | ${sw ? `${(100 * sw.uniformRange).toFixed(1)} points` : '–'} |`,
    );
  }
  lines.push(
    '',
    'A mean difference smaller than the seed-to-seed spread is not evidence either way; a uniform family whose accuracy barely moves leaves the methods little room to differ.',
  );
  for (const r of parts) lines.push('', renderResults(r, true).trimEnd());
  return lines.join('\n') + '\n';
}
