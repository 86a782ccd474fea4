// `morphnet train --engine pytorch`: train.py does the steps (engine-pytorch.ts); this writes what
// the tfjs loop writes (train-loop.ts) from its readbacks: run.json kept current, the same history
// entries, learned_structure/alive_<step> at each evaluation, the same bar, the same divergence
// and signal endings. There is no checkpoint: train.py keeps none, so such a run cannot resume.
import { join } from 'node:path';
import { importStructure } from '../morphnet/structure.ts';
import { divergence, divergenceCause, type DivergenceCause } from '../engine/divergence.ts';
import type { DatasetName } from '../engine/types.ts';
import { runTorch, type TorchReadback } from './engine-pytorch.ts';
import { sanitize } from './format.ts';
import { writeText } from './io.ts';
import { RUN_FILE, STRUCTURE_DIR, writeJson } from './run-dir.ts';
import {
  doneLine,
  EXIT_DIVERGED,
  EXIT_SIGNAL,
  finalSummary,
  Progress,
  runSchedule,
  type HistoryEntry,
  type RunFile,
} from './train-loop.ts';

export interface TorchLoopInput {
  out: string;
  run: RunFile;
  dataset: DatasetName;
  /** The built-in seed's name when the spec is it (the package's run file names it). */
  net: string | null;
  testExamples: number;
}

/** A readback as divergenceCause reads it: train.py reports no γ, its R and losses carry any NaN. */
const asMetrics = (r: TorchReadback) => ({ ...r, gammas: {} });

export async function trainTorchLoop({ out, run, dataset, net, testExamples }: TorchLoopInput): Promise<number> {
  const { steps, evalEvery } = run.settings;
  const runPath = join(out, RUN_FILE);
  const started = performance.now();
  const save = (status: RunFile['status']) => {
    run.status = status;
    run.seconds = (performance.now() - started) / 1000;
    if (run.final !== undefined) run.final.seconds = run.seconds;
    writeJson(runPath, run, 'run summary');
  };

  let stop: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop !== null) process.exit(EXIT_SIGNAL[signal as keyof typeof EXIT_SIGNAL] ?? 1); // a second one: now
    stop = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bar = new Progress(process.stderr, 0, steps);
  let last: TorchReadback | null = null;
  let lastAlive: string | null = null;
  let testAccuracy = NaN;
  let diverged: DivergenceCause | null = null;
  try {
    save('training');
    await runTorch({
      spec: run.spec,
      net,
      dataset,
      settings: run.settings,
      schedule: runSchedule(run),
      steps,
      evalEvery,
      stopRequested: () => stop,
      onReadback: (r, aliveText) => {
        run.step = r.step;
        diverged = divergenceCause(asMetrics(r));
        if (diverged !== null) {
          run.diverged = { step: r.step, reason: divergence(asMetrics(r))! };
          return 'stop';
        }
        const entry: HistoryEntry = {
          step: r.step,
          taskLoss: r.taskLoss,
          regLoss: r.regLoss,
          regValue: r.regValue,
          trainAccuracy: r.trainAccuracy,
          flops: r.flops,
          params: r.params,
        };
        if (r.latencyNs !== undefined) entry.latencyNs = r.latencyNs;
        if (r.testAccuracy !== undefined && aliveText !== null) {
          testAccuracy = r.testAccuracy;
          entry.testAccuracy = testAccuracy;
          writeText(join(out, STRUCTURE_DIR, `alive_${r.step}`), aliveText, 'learned structure');
          lastAlive = aliveText;
        }
        last = r;
        run.history.push(entry);
        save('training');
        bar.update(r.step, r.taskLoss, r.flops / run.seed.flops, entry.testAccuracy);
        return 'go';
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar.done();
  }

  // Assigned inside callbacks, which TypeScript's narrowing does not follow.
  const cause = diverged as DivergenceCause | null;
  const m = last as TorchReadback | null;
  const alive = lastAlive as string | null;
  const signalled = stop as NodeJS.Signals | null;
  if (cause !== null) {
    save('diverged');
    process.stderr.write(
      `morphnet: training diverged at step ${run.step} (${cause.what} ${cause.value}); try a lower --lr or --strength; ` +
        `wrote ${sanitize(runPath)}\n`,
    );
    return EXIT_DIVERGED;
  }
  if (signalled !== null || m === null || m.step < steps || alive === null) {
    const signal: NodeJS.Signals = signalled ?? 'SIGTERM';
    run.interrupted = { step: run.step, signal };
    save('interrupted');
    process.stderr.write(
      `morphnet: interrupted at step ${run.step} of ${steps}; wrote ${sanitize(runPath)} ` +
        `(an --engine pytorch run keeps no checkpoint: start it again with --force to train it)\n`,
    );
    return EXIT_SIGNAL[signal as keyof typeof EXIT_SIGNAL] ?? 1;
  }
  const aliveCounts = importStructure(alive, run.spec, `train.py's ${STRUCTURE_DIR}/alive_${m.step}`);
  run.final = finalSummary(run, m, aliveCounts, testAccuracy, testExamples);
  save('done');
  process.stderr.write(doneLine(run, `PyTorch (${run.settings.backend})`, runPath));
  return 0;
}
