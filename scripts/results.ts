// `npm run results`: the evidence in docs/RESULTS.md (issue 14), produced end to end. Runs each
// seed's trade-off sweep, the size-targeted runs, inception-mini, a second shrink/expand cycle and
// the recipe check with the CLI, exactly as a user would type them (scripts/results/plan.ts),
// merges the seeds into the page's sweep (public/sweeps/) and writes the report from the files.
//
//   npm run results [-- --dir runs/results] [--dataset fashion] [--seeds 1,2,3] [--engine pytorch]
//                       [--from] [--resume] [--doc docs/RESULTS.md] [--sweeps public/sweeps]
//                       [--jobs N]
//
// --from rewrites the report from the runs already on disk (hours of training are not repeated
// to fix a sentence); --resume runs only the commands whose output is missing. Steps not run are
// listed in the report as such, with their commands. --jobs N runs N independent commands at once
// (each with OMP_NUM_THREADS as the caller set it: N × threads should not pass the cores).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { SpecError } from '../src/morphnet/spec.ts';
import { validateSpec } from '../src/morphnet/spec.ts';
import type { SweepFile } from '../src/morphnet/sweep.ts';
import { patternBySeed, readCycle, towers } from './results/extras.ts';
import { planFor, shown, SPEC, type DatasetPlan, type Step } from './results/plan.ts';
import { renderReport, type DatasetInput } from './results/report.ts';
import { readSweep, readTrainRun, ResultsInputError, type TrainRun } from './results/runs.ts';
import { joinSeedSweeps, mergeSweeps } from './results/seeds.ts';

/** The MorphNet point whose structure the pattern reads and whose network the cycle continues. */
const LEARNED = 'strength 10, budget 50%';
const FIRST_CYCLE = LEARNED;

function run(step: Step, resume: boolean): void {
  if (resume && existsSync(step.output)) return;
  console.error(`results: ${step.what}: ${shown(step.args)}`);
  const r = spawnSync(process.execPath, ['bin/morphnet.mjs', ...step.args], { stdio: 'inherit' });
  if (r.status !== 0)
    throw new ResultsInputError(
      `${step.what} failed (exit ${r.status ?? r.signal}); the report was not written`,
    );
}

/**
 * Independent steps `jobs` at a time (a machine with more cores than one run uses). Each step's
 * own progress goes to a log beside its output, since interleaved progress bars read as noise.
 */
async function runMany(steps: Step[], resume: boolean, jobs: number): Promise<void> {
  if (jobs <= 1) {
    for (const s of steps) run(s, resume);
    return;
  }
  const queue = steps.filter((s) => !(resume && existsSync(s.output)));
  const failures: string[] = [];
  // A signal to this process alone (kill, a job runner) reaches the runs too: each writes what it
  // has and exits, and nothing new starts.
  const children = new Set<ReturnType<typeof spawn>>();
  const forward = (signal: NodeJS.Signals) => {
    queue.length = 0;
    for (const c of children) c.kill(signal);
  };
  process.on('SIGINT', forward).on('SIGTERM', forward);
  const worker = async () => {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
      const step = s;
      const log = `${step.output.replace(/\.json$|\/run\.json$/, '')}.log`;
      let out: number;
      try {
        mkdirSync(dirname(log), { recursive: true });
        out = openSync(log, 'w');
      } catch (e) {
        // Not thrown: the other runs go on and every failure is named at the end.
        failures.push(`${step.what} not started: cannot write its log ${log} (${(e as Error).message})`);
        continue;
      }
      console.error(`results: ${step.what} (log: ${log}): ${shown(step.args)}`);
      const code = await new Promise<number | string>((done) => {
        const child = spawn(process.execPath, ['bin/morphnet.mjs', ...step.args], {
          stdio: ['ignore', out, out],
        });
        children.add(child);
        child.on('exit', (c, signal) => {
          children.delete(child);
          done(c ?? signal ?? 'unknown');
        });
        child.on('error', () => done('not started'));
      });
      closeSync(out);
      if (code !== 0) failures.push(`${step.what} failed (exit ${code}; see ${log})`);
      else console.error(`results: done: ${step.what}`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  process.off('SIGINT', forward).off('SIGTERM', forward);
  if (failures.length > 0) throw new ResultsInputError(`${failures.join('; ')}; the report was not written`);
}

const maybe = <T>(file: string, read: (f: string) => T): T | null => (existsSync(file) ? read(file) : null);

/** The cycle's inputs that come from a finished sweep: its first network and the seed's FLOPs budget. */
function prepareCycle(plan: DatasetPlan): boolean {
  const file = plan.sweeps.find((s) => s.seed === plan.cycle.seed)?.step.output;
  const sweep = file === undefined ? null : maybe(file, readSweep);
  const first = sweep?.points.find((p) => p.family === 'morphnet' && p.label === FIRST_CYCLE);
  if (sweep == null || first === undefined) return false;
  mkdirSync(dirname(plan.cycle.first), { recursive: true });
  writeFileSync(plan.cycle.first, `${JSON.stringify({ ...first.spec, name: `${SPEC}-cycle-1` }, null, 2)}\n`);
  const args = plan.cycle.expand.args;
  // The same FLOPs budget as the first cycle's expansion.
  const budget = first.settings.family === 'morphnet' ? first.settings.budget : 1;
  if (!args.includes('--budget'))
    args.splice(args.indexOf('--out'), 0, '--budget', String(Math.round(budget * sweep.seed.flops)));
  return true;
}

function readDataset(plan: DatasetPlan): DatasetInput {
  const sweeps = plan.sweeps.flatMap((s) => {
    const main = maybe(s.step.output, readSweep);
    if (main === null) return [];
    const more = plan.rest.filter((r) => r.seed === s.seed).map((r) => maybe(r.step.output, readSweep));
    return [more.reduce<SweepFile>((a, b) => (b === null ? a : joinSeedSweeps(a, b)), main)];
  });
  const merged = sweeps.length > 0 ? mergeSweeps(sweeps) : null;
  const sizeRuns = new Map<number, TrainRun>();
  for (const s of plan.sizeRuns) {
    const r = maybe(s.step.output, readTrainRun);
    if (r !== null) sizeRuns.set(s.seed, r);
  }
  const seedSpec = merged?.seed.spec;
  const inception = maybe(plan.inception.output, readTrainRun);
  const retrain = maybe(plan.cycle.retrain.output, readTrainRun);
  const cycleSweep = sweeps.find((s) => s.settings.seed === plan.cycle.seed);
  const first = cycleSweep?.points.find((p) => p.family === 'morphnet' && p.label === FIRST_CYCLE);
  return {
    plan,
    done: (s) => existsSync(s.output),
    seconds: (s) => {
      if (!existsSync(s.output) || !s.output.endsWith('.json') || s.args[0] === 'expand') return null;
      const t = (JSON.parse(readFileSync(s.output, 'utf8')) as { seconds?: unknown }).seconds;
      return typeof t === 'number' ? t : null;
    },
    recipe: maybe(plan.recipe.output, readTrainRun),
    sweeps,
    merged,
    patterns: seedSpec === undefined ? [] : patternBySeed(seedSpec, sweeps, sizeRuns, LEARNED),
    towers:
      inception === null
        ? null
        : towers(validateSpec(inception.spec, plan.inception.output), inception.final.alive),
    cycle:
      retrain === null || first === undefined || cycleSweep === undefined
        ? null
        : readCycle(
            plan.cycle.seed,
            first,
            cycleSweep.points.filter((p) => p.family === 'uniform'),
            retrain,
          ),
  };
}

function engineWords(sweeps: SweepFile[], engine: string): string {
  const s = sweeps[0]?.settings as (SweepFile['settings'] & { torchDevice?: string }) | undefined;
  if (engine !== 'pytorch') return 'tfjs in Node';
  const threads = process.env['OMP_NUM_THREADS'];
  return `PyTorch (the exported package's train.py) on ${s?.torchDevice ?? 'cpu'}${threads ? `, ${threads} thread${threads === '1' ? '' : 's'} (OMP_NUM_THREADS)` : ''}`;
}

async function main(): Promise<number> {
  const { values: v } = parseArgs({
    options: {
      dir: { type: 'string', default: 'runs/results' },
      doc: { type: 'string', default: 'docs/RESULTS.md' },
      dataset: { type: 'string', default: 'fashion' },
      seeds: { type: 'string', default: '1,2,3' },
      engine: { type: 'string', default: 'pytorch' },
      from: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      sweeps: { type: 'string', default: join('public', 'sweeps') },
      jobs: { type: 'string', default: '1' },
    },
  });
  const jobs = Number(v.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
    throw new ResultsInputError(`--jobs: a whole number of runs at once, 1 to 64, not "${v.jobs}"`);
  if (v.engine !== 'tfjs' && v.engine !== 'pytorch')
    throw new ResultsInputError(`--engine: tfjs or pytorch, not "${v.engine}"`);
  const datasets = [...new Set(v.dataset.split(',').map((d) => d.trim()))];
  for (const d of datasets) {
    if (d !== 'mnist' && d !== 'fashion')
      throw new ResultsInputError(`--dataset: mnist, fashion or both (comma-separated), not "${d}"`);
  }
  const seeds = v.seeds.split(',').map((s) => s.trim());
  if (seeds.some((s) => !/^\d+$/.test(s)) || new Set(seeds).size !== seeds.length)
    throw new ResultsInputError(`--seeds: distinct non-negative integers, comma-separated, not "${v.seeds}"`);
  const cpu = cpus();
  const device = `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const inputs: DatasetInput[] = [];
  for (const dataset of datasets) {
    const plan = planFor(dataset, v.dir, seeds.map(Number), v.engine);
    if (!v.from) {
      // The most telling first: one seed's sweep, the cheap tower question, the other seeds'
      // sweeps, then the pattern and the cycle; the long recipe check last.
      // The cycle continues the first sweep's network, so it waits for that sweep alone.
      const [first, ...others] = plan.sweeps;
      if (first) run(first.step, v.resume);
      const independent = [
        ...(dataset === 'fashion' ? [plan.inception] : []),
        ...others.map((s) => s.step),
        ...plan.sizeRuns.map((s) => s.step),
        ...plan.rest.map((s) => s.step),
        plan.recipe,
      ];
      const cycle = async () => {
        if (prepareCycle(plan))
          for (const s of [plan.cycle.learn, plan.cycle.expand, plan.cycle.retrain]) run(s, v.resume);
      };
      if (jobs <= 1) {
        await cycle();
        await runMany(independent, v.resume, 1);
      } else {
        await runMany(independent, v.resume, jobs);
        await cycle();
      }
    } else prepareCycle(plan);
    const input = readDataset(plan);
    inputs.push(input);
    if (input.merged) {
      // The page offers this sweep (src/ui/tradeoff): the merged file, each point with its seeds.
      const page = join(v.sweeps, `${SPEC}-${dataset}-flops.json`);
      mkdirSync(dirname(page), { recursive: true });
      writeFileSync(page, `${JSON.stringify(input.merged, null, 2)}\n`);
      console.error(`results: wrote the merged sweep to ${page}`);
    }
  }
  const args = process.argv.slice(2).filter((a) => a !== '--resume');
  const doc = renderReport({
    command: `npm run results${args.length ? ` -- ${args.join(' ')}` : ''}`,
    date: new Date().toISOString().slice(0, 10),
    device,
    engine: engineWords(
      inputs.flatMap((i) => i.sweeps),
      v.engine,
    ),
    datasets: inputs,
  });
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
