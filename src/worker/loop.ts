// The training half of the worker's logic (StudioHandler in ./handler.ts is the other, the
// requests): the session, its build and announcement, the chunked training loop with its
// readbacks, divergence and checkpoints, and evaluation. Split from handler.ts to keep each part
// readable; the handler extends it and decides what to train.
import type { ModelWeights } from '../engine/model.ts';
import type { Checkpoint, Dataset, Metrics, Session, TrainSettings } from '../engine/types.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { Cost, CycleRecord, PostFn, ProgressTask } from '../protocol/messages.ts';
import { Checkpoints, divergedMessage } from './checkpoints.ts';
import type { StudioDeps } from './deps.ts';
import { Evaluation } from './evaluation.ts';
import { metricsEvent } from './pack.ts';
import { DEFAULT_PACING, Pacing, type PacingOptions } from './pacing.ts';
import { errorKind, errorMessage } from './resources.ts';

export abstract class TrainingLoop {
  protected readonly pacing: Pacing;
  protected chain: Promise<void> = Promise.resolve();
  protected dataset: Dataset | null = null;
  protected session: Session | null = null;
  protected seedSpec: NetworkSpec | null = null;
  protected seedCost: Cost = { flops: 0, params: 0 };
  protected settings: TrainSettings | null = null;
  protected cycle = 0;
  protected history: CycleRecord[] = [];
  protected running = false;
  /** The GPU device is gone: nothing trains here any more (the page replaces this worker). */
  protected lost = false;
  protected metrics: Metrics | null = null;
  protected onGpu = false;
  private compiled = false;
  protected readonly evaluation: Evaluation;
  protected readonly checkpoints: Checkpoints;

  constructor(
    protected readonly post: PostFn,
    protected readonly deps: StudioDeps,
    options: Partial<PacingOptions> = {},
  ) {
    this.pacing = new Pacing({ ...DEFAULT_PACING, ...options }, deps.now);
    this.evaluation = new Evaluation(this.pacing, post, deps.now);
    this.checkpoints = new Checkpoints(post, deps.now);
  }

  protected fail(err: unknown, kind: 'fatal' | 'request' | 'spec' | 'dataset' = 'fatal') {
    // The loop stops now; the page hears of it with the error, unless a lost device explains
    // both (the device-lost fault comes first, so the page's new worker trains on).
    const wasRunning = this.running;
    this.running = false;
    const report = () => {
      if (this.lost) return;
      if (wasRunning && !this.running) this.post({ type: 'running', running: false });
      this.post({ type: 'error', kind: errorKind(err, kind), message: errorMessage(err) });
    };
    // On a GPU a failed readback can come a moment before GPUDevice.lost says why.
    if (this.onGpu) setTimeout(report, 200);
    else report();
  }

  protected setRunning(running: boolean) {
    if (this.running === running) return;
    this.running = running;
    this.post({ type: 'running', running });
  }

  protected progress(task: ProgressTask, label: string, fraction: number | null, done = false) {
    this.post({ type: 'progress', task, label, fraction, done });
  }

  /**
   * A fresh session for `spec`, announced with `ready` and a step-0 readback: fresh weights, or
   * `initialWeights` (copied; the caller keeps them).
   */
  protected async build(spec: NetworkSpec, initialWeights?: ModelWeights, resume?: Checkpoint) {
    if (!this.dataset || !this.settings || !this.seedSpec) return;
    this.setRunning(false);
    this.session?.dispose();
    this.session = null;
    this.checkpoints.drop();
    this.progress('build', 'Building the network', null);
    try {
      this.session = await this.deps.createSession({
        spec,
        dataset: this.dataset,
        settings: this.settings,
        referenceSpec: this.seedSpec,
        ...(initialWeights === undefined ? {} : { initialWeights }),
        ...(resume === undefined ? {} : { resume }),
      });
      this.metrics = null;
      this.evaluation.accuracy = null;
      this.compiled = false;
      this.pacing.restart();
      await this.announce(spec);
      await this.checkpoints.take(this.session, { cycle: this.cycle, history: this.history }, true);
    } finally {
      this.progress('build', '', 1, true);
    }
  }

  /** A checkpoint of the steps taken since the last one (a pause), unless the run diverged. */
  protected async checkpointIfAhead() {
    const session = this.session;
    if (!session || this.lost || this.running) return;
    if (session.step > (this.checkpoints.last?.step ?? -1) && this.metrics?.step === session.step) {
      await this.checkpoints.take(session, { cycle: this.cycle, history: this.history }, true);
    }
  }

  /**
   * A NaN or infinite readback: pause, go back to the last good checkpoint, mark it in the run
   * and say what to try. True when the run diverged.
   */
  private async divergedAt(m: Metrics): Promise<boolean> {
    const good = this.checkpoints.last;
    const message = divergedMessage(m, good?.step ?? null);
    if (message === null || !this.session) return false;
    this.setRunning(false);
    const spec = this.session.spec;
    if (good) await this.build(spec, undefined, good);
    this.post({ type: 'fault', kind: 'diverged', step: m.step, restored: good?.step ?? null, message });
    return true;
  }

  /** Tells the page which network is ready, and shows it as it is now (step 0 after a build). */
  protected async announce(spec: NetworkSpec) {
    if (!this.dataset || !this.seedSpec) return;
    this.post({
      type: 'ready',
      spec,
      seedSpec: this.seedSpec,
      seedCost: this.seedCost,
      cycle: this.cycle,
      history: this.history,
      datasetName: this.dataset.name,
      classNames: this.dataset.classNames,
      step: this.session?.step ?? 0,
    });
    await this.readAndPost(null);
  }

  protected scheduleChunk() {
    // Yield first so a pause or a new setting that is already queued is seen before the next step.
    void this.deps.pause().then(() => {
      if (!this.running) return;
      this.chain = this.chain
        .then(async () => {
          if (!this.running) return;
          await this.trainChunk(this.pacing.readEvery);
          this.evaluateIfDue();
          if (this.running) this.scheduleChunk();
        })
        .catch((err: unknown) => this.fail(err));
    });
  }

  /** Up to `steps` training steps, then one batched readback (the sync point on a GPU). */
  protected async trainChunk(steps: number) {
    const session = this.session;
    if (!session) return;
    if (!this.compiled) {
      const label = this.onGpu
        ? 'First step: compiling the GPU programs (this can take a while)'
        : 'First step: setting up the training step';
      this.progress('compile', label, null);
    }
    const t0 = this.deps.now();
    let n = 0;
    let diverged: boolean;
    try {
      do {
        session.trainStep();
        n++;
      } while (n < steps && (this.running || steps === 1));
      diverged = !(await this.readAndPost({ t0, steps: n }));
    } finally {
      if (!this.compiled) this.progress('compile', '', 1, true);
    }
    this.compiled = true;
    if (diverged || this.session !== session) return;
    this.checkpoints.confirm();
    if (this.checkpoints.due(session.step)) {
      await this.checkpoints.take(session, { cycle: this.cycle, history: this.history }, false);
    }
  }

  /**
   * `timing`: when the chunk began and how many steps it took, timed up to the readback. False
   * when the training readback diverged (nothing is posted but the fault).
   */
  protected async readAndPost(timing: { t0: number; steps: number } | null): Promise<boolean> {
    const session = this.session;
    if (!session) return true;
    const r0 = this.deps.now();
    const m = await session.readMetrics();
    const r1 = this.deps.now();
    // Before the first step the loss is NaN by design (Metrics): only training readbacks count.
    if (timing && (await this.divergedAt(m))) return false;
    // Timed after the readback: on a GPU, trainStep only queues work. The compile step is not
    // a fair sample of the step time.
    if (timing && this.compiled) this.pacing.recordChunk(timing.t0, timing.steps);
    this.metrics = m;
    // What this chunk cost, for `npm run bench` (the readback's share of training time).
    const chunk = timing ? { steps: timing.steps, ms: r1 - timing.t0, readMs: r1 - r0 } : undefined;
    const { event, transfer } = metricsEvent(m, this.pacing.stepMs, chunk);
    this.post(event, transfer);
    return true;
  }

  private get batch(): number {
    return this.settings?.batch ?? 1;
  }

  private evaluateIfDue() {
    if (this.evaluation.due(this.batch)) this.chain = this.chain.then(() => this.evaluate());
  }

  protected async evaluateIfStale() {
    if (this.session && this.evaluation.stale(this.session.step, this.batch)) await this.evaluate();
  }

  protected async evaluate() {
    if (this.session && !this.lost) await this.evaluation.measure(this.session);
  }
}
