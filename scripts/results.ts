// `npm run results`: the evidence in docs/RESULTS.md, produced end to end. Trains a FLOP- and a
// size-targeted run (same seed, same length) and the trade-off sweep with the CLI, exactly as a
// user would type it, then writes the report from their files. `--from` rewrites the report from
// runs already on disk (an hour of training is not repeated to fix a sentence).
//
//   npm run results [-- --dir runs/results] [--from] [--no-sweep] [--dataset mnist|fashion]
//                       [--steps N] [--doc docs/RESULTS.md]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { SpecError } from '../src/morphnet/spec.ts';
import { renderResults } from './results/render.ts';
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

async function main(): Promise<number> {
  const { values: v } = parseArgs({
    options: {
      dir: { type: 'string', default: 'runs/results' },
      doc: { type: 'string', default: 'docs/RESULTS.md' },
      dataset: { type: 'string', default: 'mnist' },
      steps: { type: 'string', default: '300' },
      from: { type: 'boolean', default: false },
      'no-sweep': { type: 'boolean', default: false },
    },
  });
  if (v.dataset !== 'mnist' && v.dataset !== 'fashion')
    throw new ResultsInputError(`--dataset: mnist or fashion, not "${v.dataset}"`);
  if (!/^[1-9]\d*$/.test(v.steps))
    throw new ResultsInputError(`--steps: a positive integer, not "${v.steps}"`);
  const common = ['--spec', SPEC, '--dataset', v.dataset, '--steps', v.steps, '--seed', '1'];
  const trainArgs = (target: string) => [
    'train',
    ...common,
    '--target',
    target,
    '--out',
    join(v.dir, target),
  ];
  const sweepFile = join(v.dir, 'sweep.json');
  const sweepArgs = ['sweep', ...common, ...SWEEP_GRID, '--out', sweepFile];
  // Run-to-run spread: the uniform ×1 network again from two more seeds, so the report can say
  // which accuracy differences are larger than what changing only the seed does.
  const noiseSeeds = [2, 3];
  const noiseFile = (seed: number) => join(v.dir, `noise-seed-${seed}.json`);
  const noiseArgs = (seed: number) => [
    'sweep',
    ...common.slice(0, -1),
    String(seed),
    '--multipliers',
    '1',
    '--prune',
    '',
    '--strengths',
    '',
    '--out',
    noiseFile(seed),
  ];
  const shown = (args: string[]) => `npx morphnet ${args.map((a) => (a === '' ? "''" : a)).join(' ')}`;

  if (!v.from) {
    for (const args of [
      trainArgs('flops'),
      trainArgs('size'),
      ...(v['no-sweep'] ? [] : [sweepArgs, ...noiseSeeds.map(noiseArgs)]),
    ]) {
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
  const flops = readTrainRun(join(v.dir, 'flops', 'run.json'));
  const size = readTrainRun(join(v.dir, 'size', 'run.json'));
  const sweep = v['no-sweep'] ? null : readSweep(sweepFile);
  const noise = v['no-sweep'] ? [] : noiseSeeds.map((seed) => readSweep(noiseFile(seed)));
  const cpu = cpus();
  const doc = renderResults({
    flops,
    size,
    sweep,
    noise,
    commands: {
      train: [shown(trainArgs('flops')), shown(trainArgs('size'))],
      sweep: sweep ? [shown(sweepArgs), ...noiseSeeds.map((seed) => shown(noiseArgs(seed)))] : null,
      report: 'npm run results',
    },
    date: new Date().toISOString().slice(0, 10),
    device: `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  });
  mkdirSync(dirname(v.doc), { recursive: true });
  // Formatted as `prettier --check` expects, like docs/BENCHMARKS.md.
  writeFileSync(v.doc, await format(doc, { ...((await resolveConfig(v.doc)) ?? {}), parser: 'markdown' }));
  console.error(`results: wrote ${v.doc}`);
  if (sweep) {
    // The page shows this sweep by default (src/ui/tradeoff): the same file, not a copy of its numbers.
    const page = join(
      'public',
      'sweeps',
      `${sweep.settings.spec}-${sweep.settings.dataset}-${sweep.settings.target}.json`,
    );
    mkdirSync(dirname(page), { recursive: true });
    copyFileSync(sweepFile, page);
    console.error(`results: copied the sweep to ${page}`);
  }
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
