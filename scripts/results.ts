// `npm run results`: the evidence in docs/RESULTS.md, produced end to end. Trains a FLOP- and a
// size-targeted run (same seed, same length) and the trade-off sweep with the CLI, exactly as a
// user would type it, then writes the report from their files. `--from` rewrites the report from
// runs already on disk (an hour of training is not repeated to fix a sentence).
//
//   npm run results [-- --dir runs/results] [--from] [--no-sweep] [--dataset mnist,fashion]
//                       [--steps N] [--doc docs/RESULTS.md] [--engine tfjs|pytorch]
//
// `--engine` goes to every train and sweep command (pytorch: train.py of the exported package,
// where python3 imports torch; the sweep's pruning family stays on tfjs). The train runs are
// retrained on purpose, so their commands carry --force (the CLI refuses to reuse an --out).
//
// Each dataset's runs go to <dir>/<dataset>/; the report covers every dataset listed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { SpecError } from '../src/morphnet/spec.ts';
import { renderReport } from './results/render.ts';
import { readSweep, readTrainRun, ResultsInputError } from './results/runs.ts';

const SPEC = 'resnet-mini';
/** The sweep's grid: uniform ×0.25…×1.25, three pruning fractions, three strengths at two budgets. */
const SWEEP_GRID = [
  '--multipliers',
  '0.25,0.5,0.75,1,1.25',
  '--prune',
  '0.25,0.5,0.75',
  '--finetune',
  '100',
  '--strengths',
  '2,5,10',
  '--budgets',
  '0.5,1',
  '--target',
  'flops',
];

/** The CLI commands behind one dataset's part of the report, exactly as a user would type them. */
function commandsFor(dataset: string, steps: string, dir: string, engine: string | undefined) {
  const common = ['--spec', SPEC, '--dataset', dataset, '--steps', steps, '--seed', '1'];
  const engineArgs = engine === undefined ? [] : ['--engine', engine];
  const train = ['flops', 'size'].map((target) => [
    'train',
    ...common,
    '--target',
    target,
    ...engineArgs,
    '--out',
    join(dir, target),
    '--force',
  ]);
  const sweepFile = join(dir, 'sweep.json');
  // Run-to-run spread: the uniform ×1 network again from two more seeds, so the report can say
  // which accuracy differences are larger than what changing only the seed does.
  const noiseSeeds = [2, 3];
  const noiseFiles = noiseSeeds.map((seed) => join(dir, `noise-seed-${seed}.json`));
  const noise = noiseSeeds.map((seed, i) => [
    'sweep',
    ...common.slice(0, -1),
    String(seed),
    '--multipliers',
    '1',
    '--prune',
    '',
    '--strengths',
    '',
    ...engineArgs,
    '--out',
    noiseFiles[i]!,
  ]);
  return {
    train,
    sweep: ['sweep', ...common, ...SWEEP_GRID, ...engineArgs, '--out', sweepFile],
    sweepFile,
    noise,
    noiseFiles,
  };
}

async function main(): Promise<number> {
  const { values: v } = parseArgs({
    options: {
      dir: { type: 'string', default: 'runs/results' },
      doc: { type: 'string', default: 'docs/RESULTS.md' },
      dataset: { type: 'string', default: 'mnist,fashion' },
      steps: { type: 'string', default: '300' },
      from: { type: 'boolean', default: false },
      'no-sweep': { type: 'boolean', default: false },
      engine: { type: 'string' },
    },
  });
  if (v.engine !== undefined && v.engine !== 'tfjs' && v.engine !== 'pytorch')
    throw new ResultsInputError(`--engine: tfjs or pytorch, not "${v.engine}"`);
  const datasets = [...new Set(v.dataset.split(',').map((d) => d.trim()))];
  for (const d of datasets) {
    if (d !== 'mnist' && d !== 'fashion')
      throw new ResultsInputError(`--dataset: mnist, fashion or both (comma-separated), not "${d}"`);
  }
  if (!/^[1-9]\d*$/.test(v.steps))
    throw new ResultsInputError(`--steps: a positive integer, not "${v.steps}"`);
  const shown = (args: string[]) => `npx morphnet ${args.map((a) => (a === '' ? "''" : a)).join(' ')}`;
  const cpu = cpus();
  const date = new Date().toISOString().slice(0, 10);
  const device = `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const parts = [];
  for (const dataset of datasets) {
    const dir = join(v.dir, dataset);
    const plan = commandsFor(dataset, v.steps, dir, v.engine);
    const noSweep = v['no-sweep'];
    if (!v.from) {
      for (const args of [...plan.train, ...(noSweep ? [] : [plan.sweep, ...plan.noise])]) {
        console.error(`results: ${shown(args)}`);
        const run = spawnSync(process.execPath, ['bin/morphnet.mjs', ...args], { stdio: 'inherit' });
        if (run.status !== 0) {
          console.error(
            `results: that command failed (exit ${run.status ?? run.signal}); the report was not written`,
          );
          return 1;
        }
      }
    }
    const sweep = noSweep ? null : readSweep(plan.sweepFile);
    parts.push({
      flops: readTrainRun(join(dir, 'flops', 'run.json')),
      size: readTrainRun(join(dir, 'size', 'run.json')),
      sweep,
      noise: noSweep ? [] : plan.noiseFiles.map((f) => readSweep(f)),
      commands: {
        train: plan.train.map(shown),
        sweep: sweep ? [plan.sweep, ...plan.noise].map(shown) : null,
        report: 'npm run results',
      },
      date,
      device,
    });
    if (sweep) {
      // The page offers this sweep (src/ui/tradeoff): the same file, not a copy of its numbers.
      const page = join(
        'public',
        'sweeps',
        `${sweep.settings.spec}-${sweep.settings.dataset}-${sweep.settings.target}.json`,
      );
      mkdirSync(dirname(page), { recursive: true });
      copyFileSync(plan.sweepFile, page);
      console.error(`results: copied the sweep to ${page}`);
    }
  }
  const doc = renderReport(parts);
  mkdirSync(dirname(v.doc), { recursive: true });
  // Formatted as `prettier --check` expects, like docs/BENCHMARKS.md.
  writeFileSync(v.doc, await format(doc, { ...((await resolveConfig(v.doc)) ?? {}), parser: 'markdown' }));
  console.error(`results: wrote ${v.doc}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown }).code;
    const usage =
      e instanceof ResultsInputError ||
      e instanceof SpecError ||
      (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
    console.error(`results: ${usage ? '' : 'internal error: '}${message}`);
    process.exitCode = usage ? 2 : 1;
  },
);
