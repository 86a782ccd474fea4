// docs/RESULTS.md from the runs on disk (issue 14): every number, every verdict and every "not
// run" is computed here from what the commands wrote, so a re-render never keeps a stale claim.
import { sweepLabel, type SweepFile } from '../../src/morphnet/sweep.ts';
import type { CycleReading, SeedPattern, Tower } from './extras.ts';
import { shown, type DatasetPlan, type Step } from './plan.ts';
import type { TrainRun } from './runs.ts';
import { answerText } from './answer.ts';
import { renderSavings } from './saving.ts';
import { comparePaired, spread, type PairedComparison, type Spread } from './seeds.ts';

export interface DatasetInput {
  plan: DatasetPlan;
  /** Each step's output is on disk. */
  done: (s: Step) => boolean;
  /** Wall time of a step that ran (its file's `seconds`), or null. */
  seconds: (s: Step) => number | null;
  recipe: TrainRun | null;
  sweeps: SweepFile[];
  merged: SweepFile | null;
  patterns: SeedPattern[];
  towers: Tower[] | null;
  cycle: CycleReading | null;
}

export interface ReportInput {
  command: string;
  date: string;
  device: string;
  engine: string;
  datasets: DatasetInput[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const pm = (s: Spread) =>
  s.n > 1 ? `${pct(s.mean)} ± ${(100 * s.std).toFixed(1)} (${pct(s.min)}–${pct(s.max)})` : pct(s.mean);
const marginText = (s: Spread) =>
  s.n > 1
    ? `${pts(s.mean)} ± ${(100 * s.std).toFixed(1)} points (${pts(s.min)} to ${pts(s.max)})`
    : `${pts(s.mean)} points`;
const VERDICT = {
  ahead: 'ahead by more than the spread',
  behind: '**behind** by more than the spread',
  within: 'within the spread',
  single: 'one seed: no spread to judge by',
} as const;

function stepsTable(d: DatasetInput): string {
  const all: Step[] = [
    d.plan.recipe,
    ...d.plan.sweeps.map((s) => s.step),
    ...d.plan.rest.map((s) => s.step),
    ...d.plan.sizeRuns.map((s) => s.step),
    d.plan.inception,
    d.plan.cycle.learn,
    d.plan.cycle.expand,
    d.plan.cycle.retrain,
  ];
  const time = (s: Step) => {
    const t = d.seconds(s);
    return t === null ? '' : t < 120 ? `${t.toFixed(0)} s` : `${(t / 60).toFixed(1)} min`;
  };
  const rows = all.map(
    (s) => `| ${s.what} | ${d.done(s) ? 'done' : '**not run**'} | ${time(s)} | \`${shown(s.args)}\` |`,
  );
  return ['| step | status | time | command |', '| --- | --- | ---: | --- |', ...rows].join('\n');
}

function recipeSection(d: DatasetInput): string {
  const r = d.recipe;
  const out = ['### The recipe', ''];
  if (r === null)
    out.push(
      `Not run: the seed alone at ${d.plan.recipe.args[d.plan.recipe.args.indexOf('--steps') + 1]} steps (its command is above).`,
    );
  else {
    const goal = d.plan.dataset === 'mnist' ? 0.99 : 0.9;
    out.push(
      `The seed network alone, ${r.final.step} steps of batch ${r.settings.batch}, peak learning rate ${r.settings.lr}, cosine with warm-up, on ${r.settings.engine}: **${pct(r.final.testAccuracy)}** on the ${r.final.testExamples.toLocaleString('en-US')} test images (target ${pct(goal)}: ${r.final.testAccuracy >= goal ? 'reached' : '**not reached**'}), in ${r.final.seconds.toFixed(0)} s.`,
    );
  }
  const seed = d.merged?.points.find((p) => p.family === 'uniform' && p.label === '×1');
  if (seed?.seeds) {
    const s = spread(seed.seeds.map((x) => x.testAccuracy));
    out.push(
      '',
      `In the sweep (${d.merged!.settings.steps} steps, to fit the grid in the time): the seed (uniform ×1) scored ${pm(s)} over ${s.n} seed${s.n === 1 ? '' : 's'}.`,
    );
  }
  return out.join('\n');
}

const FAMILY_ORDER = ['uniform', 'pruning', 'morphnet'];
/** Uniform, pruning, then MorphNet, each from the cheapest: passes run later add points at the end. */
function byFamilyAndCost<P extends { family: string; flops: number }>(points: readonly P[]): P[] {
  return [...points].sort(
    (a, b) => FAMILY_ORDER.indexOf(a.family) - FAMILY_ORDER.indexOf(b.family) || a.flops - b.flops,
  );
}

function pointsTable(m: SweepFile): string {
  const lines = [
    '| family | point | seeds | FLOPs vs seed | parameters vs seed | test accuracy, mean ± std (min–max) |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const p of byFamilyAndCost(m.points)) {
    const seeds = p.seeds ?? [
      { seed: m.settings.seed, flops: p.flops, params: p.params, testAccuracy: p.testAccuracy },
    ];
    const f = spread(seeds.map((s) => s.flops / m.seed.flops));
    const q = spread(seeds.map((s) => s.params / m.seed.params));
    const cost = (s: Spread) =>
      s.max - s.min > 0.0005 ? `${pct(s.mean)} (${pct(s.min)}–${pct(s.max)})` : pct(s.mean);
    lines.push(
      `| ${p.family} | ${p.label} | ${seeds.length} | ${cost(f)} | ${cost(q)} | ${pm(spread(seeds.map((s) => s.testAccuracy)))} |`,
    );
  }
  return lines.join('\n');
}

function verdictTable(flops: PairedComparison[], size: PairedComparison[], baseline = 'uniform'): string {
  const lines = [
    `| MorphNet point | seeds | its accuracy | at equal FLOPs: ${baseline} | margin | verdict | at equal size: ${baseline} | margin | verdict |`,
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
  ];
  for (const c of [...flops].sort((a, b) => a.x - b.x || a.label.localeCompare(b.label))) {
    const s = size.find((x) => x.label === c.label);
    const sizeCells = s
      ? `${pm(s.baseline)} | ${marginText(s.margin)} | ${VERDICT[s.verdict]}`
      : `– | – | outside the ${baseline} range`;
    lines.push(
      `| ${c.label} | ${c.margin.n} | ${pm(c.accuracy)} | ${pm(c.baseline)} | ${marginText(c.margin)} | ${VERDICT[c.verdict]} | ${sizeCells} |`,
    );
  }
  return lines.join('\n');
}

function count(cs: PairedComparison[], v: PairedComparison['verdict']) {
  return cs.filter((c) => c.verdict === v).length;
}

function tradeoffSection(d: DatasetInput): string {
  const m = d.merged;
  if (m === null)
    return '### MorphNet against the uniform multiplier\n\nNot run: no sweep has finished (their commands are above).';
  const flops = comparePaired(d.sweeps, 'uniform', 'flops');
  const size = comparePaired(d.sweeps, 'uniform', 'params');
  const judged = flops.filter((c) => c.verdict !== 'single');
  const seeds = m.settings.seeds ?? [m.settings.seed];
  return [
    '### MorphNet against the uniform multiplier',
    '',
    `Seeds ${seeds.join(', ')}; every network ${m.settings.steps} steps, each MorphNet structure learned in ${m.settings.learnSteps ?? m.settings.steps} steps at its strength, then expanded to the budget and trained from scratch. Test accuracy on the whole test set, batch-norm statistics re-estimated first. Whole sweeps: ${(m.seconds / 60).toFixed(1)} min.`,
    '',
    pointsTable(m),
    '',
    "Verdicts, seed by seed: each seed's MorphNet point against the uniform curve of the same seed (interpolated in log cost between its two measured neighbours, never extrapolated), so the initialization seed and data order are the same on both sides. **Ahead by more than the spread** means every seed's MorphNet network beats its own uniform curve and the mean margin exceeds the margin's standard deviation over the seeds.",
    '',
    verdictTable(flops, size),
    '',
    `- At equal FLOPs, MorphNet is ahead by more than the spread at ${count(judged, 'ahead')} of ${judged.length} points with several seeds, behind by more than it at ${count(judged, 'behind')}, within it at ${count(judged, 'within')}.`,
    `- At equal size, the same: ahead at ${count(size, 'ahead')}, behind at ${count(size, 'behind')}, within at ${count(size, 'within')} of ${size.filter((c) => c.verdict !== 'single').length} (MorphNet here targets FLOPs, so at equal size it is not optimizing what is compared).`,
    ...missingText(d.sweeps),
    roomText(m),
    '',
    renderSavings(d.sweeps),
    '',
    pruningSection(d),
  ].join('\n');
}

/** MorphNet against magnitude pruning, as against the uniform family (only points inside the pruning range). */
function pruningSection(d: DatasetInput): string {
  const pruned = d.merged?.points.filter((p) => p.family === 'pruning') ?? [];
  if (pruned.length < 2)
    return '### MorphNet against magnitude pruning\n\nNot run: fewer than two pruning fractions have finished (their commands are above).';
  const flops = comparePaired(d.sweeps, 'pruning', 'flops');
  const size = comparePaired(d.sweeps, 'pruning', 'params');
  const judged = flops.filter((c) => c.verdict !== 'single');
  const finetune = pruned[0]!.settings.family === 'pruning' ? pruned[0]!.settings.finetune : null;
  return [
    '### MorphNet against magnitude pruning',
    '',
    `Each seed's own trained seed network, its filters with the smallest L1 norms removed at ${pruned.map((p) => p.label).join(', ')} of every layer's filters, then fine-tuned for ${finetune ?? '?'} steps with the same schedule. Pruning cuts trained weights, so it runs on the engine that holds them (tfjs, the CLI's own); its seed is trained there with the same recipe. Only MorphNet points whose cost falls inside the pruned networks' range are compared.`,
    '',
    flops.length === 0 && size.length === 0
      ? "No MorphNet point falls inside the pruned networks' cost range."
      : verdictTable(flops, size, 'pruning'),
    '',
    `- At equal FLOPs, MorphNet is ahead of pruning by more than the spread at ${count(judged, 'ahead')} of ${judged.length} points with several seeds, behind at ${count(judged, 'behind')}, within at ${count(judged, 'within')}.`,
  ].join('\n');
}

/** The points a sweep's own settings ask for that its file lacks (a sweep stopped early writes those it finished). */
export function missingPoints(s: SweepFile): string[] {
  const st = s.settings;
  const want = [
    ...st.multipliers.map((multiplier) => sweepLabel({ family: 'uniform', multiplier })),
    ...st.prune.map((fraction) => sweepLabel({ family: 'pruning', fraction })),
    ...st.strengths.flatMap((strength) =>
      st.budgets.map((budget) => sweepLabel({ family: 'morphnet', strength, budget })),
    ),
  ];
  const have = new Set([...s.points.map((p) => p.label), ...s.skipped.map((p) => p.label)]);
  return want.filter((l) => !have.has(l));
}

function missingText(sweeps: SweepFile[]): string[] {
  return sweeps.flatMap((s) => {
    const gone = missingPoints(s);
    return gone.length === 0
      ? []
      : [
          `- Seed ${s.settings.seed}'s sweep was stopped before it finished (to leave time for the other seeds): its file has no ${gone.join(', ')} point.`,
        ];
  });
}

/** Why margins can be small: how far the uniform family's accuracy moves against the seeds' own spread. */
function roomText(m: SweepFile): string {
  const uniform = byFamilyAndCost(m.points.filter((p) => p.family === 'uniform'));
  const stds = m.points.flatMap((p) =>
    p.seeds && p.seeds.length > 1 ? [spread(p.seeds.map((s) => s.testAccuracy)).std] : [],
  );
  if (uniform.length < 2 || stds.length === 0)
    return "- Too few points with several seeds to compare the curve with the seeds' spread.";
  const accs = uniform.map((p) => p.testAccuracy);
  const range = Math.max(...accs) - Math.min(...accs);
  const typical = stds.reduce((a, s) => a + s, 0) / stds.length;
  return `- Room to differ: across the uniform points (${uniform.map((p) => p.label).join(', ')}) the mean accuracy moves ${(100 * range).toFixed(1)} points; a point's seed-to-seed standard deviation is ${(100 * typical).toFixed(1)} points on average.`;
}

function patternSection(d: DatasetInput): string {
  if (d.patterns.length === 0)
    return "### The paper's FLOPs/size pattern\n\nNot run: no seed has both a FLOPs-targeted structure (its sweep) and a size-targeted run.";
  const rows = d.patterns.map((p) => {
    const r = p.reading;
    return `| ${p.seed} | ${pct(r.early.flops)} / ${pct(r.late.flops)} | ${pct(r.early.size)} / ${pct(r.late.size)} | ${p.holds ? 'holds' : '**does not hold**'} |`;
  });
  const held = d.patterns.filter((p) => p.holds).length;
  const r0 = d.patterns[0]!.reading;
  return [
    "### The paper's FLOPs/size pattern, seed by seed",
    '',
    `The structure learned towards FLOPs (the sweep's learning run) against one learned towards size (same seed, strength and length). Early layers are those at ${r0.early.side}, late at ${r0.late.side}; channel-weighted alive fractions. "Holds": targeting FLOPs thins early more than late, targeting size late more than early, and relative to the size run the FLOPs run is thinner early than late.`,
    '',
    '| seed | target FLOPs keeps early / late | target size keeps early / late | pattern |',
    '| ---: | ---: | ---: | --- |',
    ...rows,
    '',
    `The pattern holds for ${held} of ${d.patterns.length} seeds.`,
  ].join('\n');
}

function towerSection(d: DatasetInput): string {
  const t = d.towers;
  if (t === null) return '### inception-mini: does a tower vanish?\n\nNot run (its command is above).';
  const gone = t.filter((x) => x.vanished);
  return [
    '### inception-mini: does a tower vanish?',
    '',
    `One short run, seed 1 (${d.plan.inception.args[d.plan.inception.args.indexOf('--steps') + 1]} steps, strength ${d.plan.inception.args[d.plan.inception.args.indexOf('--strength') + 1]}, target FLOPs). Each tower's convs, from its first to the one that feeds the concat; a tower with a conv at 0 passes nothing on:`,
    '',
    '| concat | tower | alive of seed width, layer by layer | |',
    '| --- | --- | --- | --- |',
    ...t.map(
      (x) =>
        `| ${x.concat} | ${x.layer} | ${x.chain.map((c) => `${c.name} ${c.alive}/${c.seedWidth}`).join(' → ')} | ${x.vanished ? '**vanished**' : 'kept'} |`,
    ),
    '',
    gone.length === 0
      ? 'No tower vanishes in this run.'
      : `${gone.length} tower${gone.length === 1 ? '' : 's'} vanish: ${gone.map((x) => x.layer).join(', ')}.`,
  ].join('\n');
}

function cycleSection(d: DatasetInput): string {
  const c = d.cycle;
  if (c === null) return '### A second shrink/expand cycle\n\nNot run (its commands are above).';
  return [
    '### A second shrink/expand cycle',
    '',
    `Seed ${c.seed}: the first cycle's network (MorphNet ${c.label}) learns a structure again (same strength and length) and is expanded to the same FLOPs budget, then trained from scratch. One seed only, so compare its gain with the seeds' spread above.`,
    '',
    '| cycle | FLOPs | test accuracy |',
    '| --- | ---: | ---: |',
    `| 1 | ${(c.first.flops / 1e6).toFixed(2)} M | ${pct(c.first.accuracy)} |`,
    `| 2 | ${(c.second.flops / 1e6).toFixed(2)} M | ${pct(c.second.accuracy)} |`,
    '',
    `The second cycle changes accuracy by ${pts(c.gain)} points at ${pct(c.second.flops / c.first.flops)} of the first cycle's FLOPs${c.uniformAtSecond === null ? '' : `; the uniform curve of the same seed there scores ${pct(c.uniformAtSecond)}`}.`,
  ].join('\n');
}

export function renderReport(r: ReportInput): string {
  const out = [
    '# Results: does MorphNet beat the uniform width multiplier here, beyond the seeds’ spread?',
    '',
    `Written by \`${r.command}\` on ${r.date} (${r.device}). Engine: ${r.engine}. Every number, verdict and "not run" below is computed from the runs on disk; \`--from\` re-renders it without training.`,
    '',
    'Recipe: batch 128, SGD with momentum 0.9, peak learning rate 0.1 reached by a linear warm-up over the first 5% of the steps, then a cosine towards 0 (`--schedule cosine --warmup N`, the same rates in both engines). The regularizer has no ramp of its own: its strength is constant, and its steps are scaled by the same warm-up and decay as the task loss.',
  ];
  for (const d of r.datasets) {
    out.push(
      '',
      `## ${d.plan.dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST'}`,
      '',
      answerText(
        d.plan.dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST',
        d.sweeps,
        d.merged,
        d.recipe && { steps: d.recipe.final.step, testAccuracy: d.recipe.final.testAccuracy },
      ),
      '',
      'What was run:',
      '',
      stepsTable(d),
      '',
      recipeSection(d),
      '',
      tradeoffSection(d),
      '',
      patternSection(d),
      '',
      towerSection(d),
      '',
      cycleSection(d),
    );
  }
  return `${out.join('\n')}\n`;
}
