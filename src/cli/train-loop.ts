// The training loop of `morphnet train`, shared by a new run and a resumed one: readbacks every
// READ_EVERY steps, run.json rewritten (atomically) at each, alive files and a checkpoint at each
// evaluation, a stop at the first non-finite readback, and a clean stop on SIGINT/SIGTERM.
import { CONSTANT_SCHEDULE, learningRateAt, type Schedule, type ScheduleKind } from '../morphnet/schedule.ts';
import { join } from 'node:path';
import { exportStructure } from '../morphnet/structure.ts';
import type { AliveCounts, LatencySettings, NetworkSpec, Target } from '../morphnet/types.ts';
import { networkCost } from '../morphnet/cost.ts';
import { divergence, divergenceCause } from '../engine/divergence.ts';
import type { Metrics, Session } from '../engine/types.ts';
import { clock, pct, sanitize } from './format.ts';
import { writeText } from './io.ts';
import { CHECKPOINT_FILE, encodeCheckpoint, RUN_FILE, STRUCTURE_DIR, writeJson } from './run-dir.ts';

/** Test examples scored at each intermediate evaluation; the final one uses the whole test set. */
const EVAL_LIMIT = 1000;
/** Training batches that re-estimate batch-norm statistics before each evaluation (Session.evaluate). */
const EVAL_CALIBRATE = 20;
/** Steps between metric readbacks (one GPU/CPU sync each) for the history, run.json and the bar. */
export const READ_EVERY = 10;

/** Exit codes past 2 (README, "Errors"): a diverged run, and a run stopped by a signal (128 + n). */
export const EXIT_DIVERGED = 3;
export const EXIT_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

export interface HistoryEntry {
  step: number;
  taskLoss: number;
  regLoss: number;
  regValue: number;
  trainAccuracy: number;
  flops: number;
  params: number;
  /** Predicted latency in ns at the alive counts, when the run names a device (settings.latency). */
  latencyNs?: number;
  testAccuracy?: number;
}

/** run.json: written at the start, at every readback, and at the end, whatever the end is. */
export interface RunFile {
  command: 'train';
  status: 'training' | 'done' | 'diverged' | 'interrupted';
  settings: {
    spec: string;
    dataset: string;
    target: Target;
    strength: number;
    threshold: number;
    lr: number;
    batch: number;
    seed: number;
    steps: number;
    evalEvery: number;
    /** tfjs: its Node backend (cpu, wasm); pytorch: torch's device (cpu, cuda). */
    backend: string;
    /** Absent in runs written before --engine existed: tfjs. */
    engine?: 'tfjs' | 'pytorch';
    /** The device latency is priced for (--hardware, or --peak-gflops and --bandwidth-gbs) and the latency batch. */
    latency?: LatencySettings;
    /** The learning rate's schedule (--schedule, --warmup); absent: constant, no warm-up. */
    schedule?: ScheduleKind;
    warmup?: number;
  };
  spec: NetworkSpec;
  seed: { flops: number; params: number; latencyNs?: number };
  /** Steps taken so far, and seconds spent training them (over every resume). */
  step: number;
  seconds: number;
  /** The last checkpoint written (CHECKPOINT_FILE in the same directory), or null. */
  checkpoint: { step: number; file: string } | null;
  history: HistoryEntry[];
  diverged?: { step: number; reason: string };
  interrupted?: { step: number; signal: string };
  final?: {
    step: number;
    alive: AliveCounts;
    flops: number;
    params: number;
    flopsFraction: number;
    paramsFraction: number;
    /** With settings.latency: the learned structure's predicted latency in ns, and its fraction of the seed's. */
    latencyNs?: number;
    latencyFraction?: number;
    testAccuracy: number;
    testExamples: number;
    seconds: number;
  };
}

export interface LoopInput {
  out: string;
  run: RunFile;
  session: Session;
  testExamples: number;
  /** The last test accuracy measured (a resumed run's from its history), NaN if none. */
  testAccuracy: number;
}

export async function trainLoop({ out, run, session, testExamples, testAccuracy }: LoopInput): Promise<number> {
  const { steps, evalEvery } = run.settings;
  const schedule = runSchedule(run);
  const scheduled = schedule.kind !== 'constant' || schedule.warmup > 0;
  const runPath = join(out, RUN_FILE);
  const started = performance.now();
  const base = run.seconds;
  const save = (status: RunFile['status']) => {
    run.status = status;
    run.step = session.step;
    run.seconds = base + (performance.now() - started) / 1000;
    if (run.final !== undefined) run.final.seconds = run.seconds;
    writeJson(runPath, run, 'run summary');
  };
  const saveCheckpoint = async () => {
    writeText(join(out, CHECKPOINT_FILE), encodeCheckpoint(await session.checkpoint()), 'checkpoint');
    run.checkpoint = { step: session.step, file: CHECKPOINT_FILE };
  };

  let stop: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop !== null) process.exit(EXIT_SIGNAL[signal as keyof typeof EXIT_SIGNAL] ?? 1); // a second one: now
    stop = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bar = new Progress(process.stderr, session.step, steps);
  let last: Metrics | null = null;
  try {
    save('training');
    while (session.step < steps && stop === null) {
      // The step about to be taken is session.step (0-based), so a resumed run keeps its rates.
      if (scheduled) session.updateSettings({ lr: learningRateAt(session.step, steps, run.settings.lr, schedule) });
      session.trainStep();
      const step = session.step;
      const evalNow = step % evalEvery === 0 || step === steps;
      if (step % READ_EVERY === 0 || evalNow) {
        last = await session.readMetrics();
        const cause = divergenceCause(last);
        if (cause !== null) {
          run.diverged = { step, reason: divergence(last)! };
          save('diverged');
          bar.done();
          process.stderr.write(
            `morphnet: training diverged at step ${step} (${cause.what} ${cause.value}); try a lower --lr or --strength; ` +
              `wrote ${sanitize(runPath)}\n`,
          );
          return EXIT_DIVERGED;
        }
        const entry: HistoryEntry = {
          step,
          taskLoss: last.taskLoss,
          regLoss: last.regLoss,
          regValue: last.regValue,
          trainAccuracy: last.trainAccuracy,
          flops: last.flops,
          params: last.params,
        };
        if (last.latencyNs !== undefined) entry.latencyNs = last.latencyNs;
        if (evalNow) {
          testAccuracy = await session.evaluate(step === steps ? undefined : EVAL_LIMIT, { calibrate: EVAL_CALIBRATE });
          entry.testAccuracy = testAccuracy;
          writeText(join(out, STRUCTURE_DIR, `alive_${step}`), exportStructure(run.spec, last.alive), 'learned structure');
          if (step < steps) await saveCheckpoint();
        }
        run.history.push(entry);
        save('training');
        bar.update(step, last.taskLoss, last.flops / run.seed.flops, evalNow ? testAccuracy : undefined);
      }
      // Signals are handled between steps, never inside one: the checkpoint is a whole step.
      await new Promise((resolve) => setImmediate(resolve));
    }
    bar.done();
    if (stop !== null && session.step < steps) {
      await saveCheckpoint();
      run.interrupted = { step: session.step, signal: stop };
      save('interrupted');
      process.stderr.write(
        `morphnet: interrupted at step ${session.step} of ${steps}; wrote ${sanitize(runPath)} and ` +
          `${sanitize(join(out, CHECKPOINT_FILE))} (continue with: morphnet train --resume ${sanitize(out)})\n`,
      );
      return EXIT_SIGNAL[stop];
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar.done();
  }

  const m = last!;
  run.final = finalSummary(run, m, m.alive, testAccuracy, testExamples);
  save('done');
  process.stderr.write(doneLine(run, run.settings.backend, runPath));
  return 0;
}

/** The schedule a run trains under, from its settings. */
export const runSchedule = (run: RunFile): Schedule => ({
  kind: run.settings.schedule ?? CONSTANT_SCHEDULE.kind,
  warmup: run.settings.warmup ?? CONSTANT_SCHEDULE.warmup,
});

/** run.json's schedule fields: none for the default, so runs without --schedule read as before. */
export const scheduleFields = (s: Schedule): { schedule?: ScheduleKind; warmup?: number } =>
  s.kind === CONSTANT_SCHEDULE.kind && s.warmup === 0 ? {} : { schedule: s.kind, warmup: s.warmup };

/** run.final from the last readback, for either engine; `seconds` is filled in by the save that writes it. */
export function finalSummary(
  run: RunFile,
  m: { step: number; flops: number; params: number },
  alive: AliveCounts,
  testAccuracy: number,
  testExamples: number,
): NonNullable<RunFile['final']> {
  const latency = run.settings.latency;
  // Priced here from the final alive counts, the same for either engine.
  const latencyNs = latency === undefined ? undefined : networkCost(run.spec, alive, latency).latencyNs;
  const seedNs = run.seed.latencyNs;
  const latencyFields = latencyNs === undefined || seedNs === undefined ? {} : { latencyNs, latencyFraction: latencyNs / seedNs };
  return {
    step: m.step,
    alive,
    flops: m.flops,
    params: m.params,
    flopsFraction: m.flops / run.seed.flops,
    paramsFraction: m.params / run.seed.params,
    ...latencyFields,
    testAccuracy,
    testExamples,
    seconds: 0,
  };
}

/** The last line of a finished run on stderr; `on` names where it trained (a backend, or PyTorch's device). */
export function doneLine(run: RunFile, on: string, runPath: string): string {
  const final = run.final!;
  return (
    `done: ${run.settings.steps} steps in ${run.seconds.toFixed(0)} s on ${on}; FLOPs ${pct(final.flopsFraction)}, ` +
    `size ${pct(final.paramsFraction)}${final.latencyFraction === undefined ? '' : `, latency ${pct(final.latencyFraction)}`} of the seed; test accuracy ${pct(final.testAccuracy)}; wrote ${sanitize(runPath)}\n`
  );
}

/** One line redrawn in place on a terminal; on a pipe or a log file, a plain line per update. */
export class Progress {
  private readonly t0 = performance.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly first: number,
    private readonly total: number,
  ) {}

  update(step: number, loss: number, flopsFraction: number, testAccuracy?: number): void {
    const elapsed = (performance.now() - this.t0) / 1000;
    const rate = (step - this.first) / elapsed;
    const width = 24;
    const filled = Math.round((width * step) / this.total);
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${step}/${this.total}  ` +
      `${rate.toFixed(2)} steps/s  ETA ${clock((this.total - step) / rate)}  loss ${loss.toFixed(3)}  ` +
      `FLOPs ${pct(flopsFraction)}${testAccuracy === undefined ? '' : `  test ${pct(testAccuracy)}`}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      this.drawn = true;
      if (testAccuracy !== undefined) this.done(); // keep each evaluation on screen
    } else if (testAccuracy !== undefined || step % 50 === 0) {
      this.stream.write(`${line}\n`);
    }
  }

  done(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
