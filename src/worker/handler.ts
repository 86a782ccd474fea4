// The worker's logic: turns page requests into engine calls and streams events back. It owns the
// Session. Everything it needs from tfjs, the engine and the method comes in through `deps`, so it
// runs in Node under Vitest on the cpu backend (web-llm's worker handler is the model).
import type { ModelWeights } from '../engine/model.ts';
import type { Checkpoint, Dataset, Metrics, Session, TrainSettings } from '../engine/types.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type {
  Cost,
  CycleRecord,
  InitRequest,
  LiveSettings,
  PostFn,
  ProgressTask,
  Request,
} from '../protocol/messages.ts';
import { Checkpoints, divergedMessage } from './checkpoints.ts';
import type { StudioDeps } from './deps.ts';
import { debugFault, specFailure } from './faults.ts';
import { expandRun, expansionEvent, type LearnedExpansion } from './expand.ts';
import { Evaluation } from './evaluation.ts';
import { metricsEvent } from './pack.ts';
import { DEFAULT_PACING, Pacing, type PacingOptions } from './pacing.ts';
import { PruneKeeper } from './prune.ts';
import { MALFORMED_REQUEST, parseRequest } from './requests.ts';
import { errorKind, errorMessage, WorkerResources } from './resources.ts';

export class StudioHandler {
  private readonly pacing: Pacing;
  private chain: Promise<void> = Promise.resolve();
  private readonly resources: WorkerResources;
  private dataset: Dataset | null = null;
  private session: Session | null = null;
  private seedSpec: NetworkSpec | null = null;
  private seedCost: Cost = { flops: 0, params: 0 };
  private settings: TrainSettings | null = null;
  private cycle = 0;
  private history: CycleRecord[] = [];
  private running = false;
  private lost = false;
  private metrics: Metrics | null = null;
  private compiled = false;
  private onGpu = false;
  private readonly pruned: PruneKeeper;
  private readonly evaluation: Evaluation;
  private readonly checkpoints: Checkpoints;

  constructor(
    private readonly post: PostFn,
    private readonly deps: StudioDeps,
    options: Partial<PacingOptions> = {},
  ) {
    this.pacing = new Pacing({ ...DEFAULT_PACING, ...options }, deps.now);
    this.pruned = new PruneKeeper(deps.pruning);
    this.evaluation = new Evaluation(this.pacing, post, deps.now);
    this.checkpoints = new Checkpoints(post, deps.now);
    this.resources = new WorkerResources(post, deps, (why) => {
      // tfjs cannot bring the device back under live tensors: the page starts a new worker from
      // the last checkpoint (src/state/supervisor.ts), which gets a new device or the next backend.
      this.lost = true;
      const step = this.session?.step ?? 0;
      // The fault first: the page restarts at once and trains on if it was training.
      this.post({ type: 'fault', kind: 'device-lost', step, restored: null, message: why });
      this.setRunning(false);
    });
  }

  /** A message from the page, checked first: a malformed one is named in plain words and ignored. */
  receive(data: unknown): Promise<void> {
    const req = parseRequest(data);
    if (req === null) {
      this.post({ type: 'error', kind: 'request', message: MALFORMED_REQUEST });
      return this.chain;
    }
    return this.handle(req);
  }

  /** Requests run one at a time in arrival order; pings, pause and live settings act at once. */
  handle(req: Request): Promise<void> {
    if (req.type === 'ping') {
      this.post({ type: 'pong', id: req.id });
      return this.chain;
    }
    if (req.type === 'debug') {
      debugFault(req.action, this.deps.debug, this.post, this.session);
      return this.chain;
    }
    if (req.type === 'pause') this.setRunning(false);
    if (req.type === 'settings') this.applySettings(req.patch);
    this.chain = this.chain.then(() => this.process(req)).catch((err: unknown) => this.fail(err));
    return this.chain;
  }

  /** Resolves when every request so far has been handled (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  private fail(err: unknown, kind: 'fatal' | 'request' | 'spec' | 'dataset' = 'fatal') {
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

  private async process(req: Request): Promise<void> {
    switch (req.type) {
      case 'init':
        return this.init(req);
      case 'train':
        if (this.session && !this.lost && !this.running) {
          this.setRunning(true);
          this.scheduleChunk();
        }
        return;
      case 'pause':
        await this.checkpointIfAhead();
        return this.evaluateIfStale();
      case 'evaluate':
        if (!this.running) await this.evaluate();
        return;
      case 'step':
        if (this.session && !this.running && !this.lost) await this.trainChunk(1);
        return;
      case 'reset':
        if (!this.seedSpec) return;
        this.cycle = 0;
        this.history = [];
        this.pruned.drop();
        return this.build(this.seedSpec);
      case 'settings':
        // A new threshold changes who is alive; while paused nothing else would show it.
        if (req.patch.threshold !== undefined && !this.running && this.session && !this.lost) {
          await this.readAndPost(null);
        }
        return;
      case 'expand-preview':
        return this.preview(req.budget);
      case 'retrain':
        return this.retrain(req.budget);
      case 'prune':
        return this.prune(req.fraction);
      case 'ping':
      case 'debug':
        return;
      default: {
        const never: never = req;
        throw new Error(`unknown request ${JSON.stringify(never)}`);
      }
    }
  }

  private setRunning(running: boolean) {
    if (this.running === running) return;
    this.running = running;
    this.post({ type: 'running', running });
  }

  private progress(task: ProgressTask, label: string, fraction: number | null, done = false) {
    this.post({ type: 'progress', task, label, fraction, done });
  }

  private applySettings(patch: Partial<LiveSettings>) {
    if (!this.settings) return;
    this.settings = { ...this.settings, ...patch };
    this.session?.updateSettings(patch);
  }

  private async init(req: InitRequest) {
    this.setRunning(false);
    this.onGpu = (await this.resources.backend(req.config.backend)).onGpu;
    let dataset: Dataset;
    let seed: NetworkSpec;
    // Load the data and check the spec before giving up the old run: a bad import or a missing
    // dataset file must break nothing.
    let spec: NetworkSpec;
    try {
      ({ dataset, seed } = await this.resources.network(req.config, req.dataBase));
      spec = req.resumeCycle ? this.deps.fitSpec(req.resumeCycle.spec, dataset) : seed;
    } catch (err) {
      // The page stopped showing the old run when it asked for this one: show it again.
      if (this.session) await this.announce(this.session.spec);
      // Whatever an imported spec breaks, it is the spec's fault, said in plain words.
      throw req.config.net.kind === 'spec' ? specFailure(err) : err;
    }
    this.dataset = dataset;
    this.settings = { ...req.config.settings };
    this.seedSpec = seed;
    this.seedCost = this.deps.specCost(seed);
    this.cycle = req.resumeCycle?.cycle ?? 0;
    this.history = req.resumeCycle?.history ?? [];
    this.pruned.drop();
    if (!req.resume) return this.build(spec);
    try {
      await this.build(spec, undefined, req.resume);
    } catch (err) {
      console.warn('training worker: could not resume from the checkpoint', err);
      this.cycle = 0;
      this.history = [];
      await this.build(seed);
      this.post({
        type: 'fault',
        kind: 'crashed',
        step: req.resume.step,
        restored: null,
        message: `The run could not be restored from step ${req.resume.step}, so it started over.`,
      });
    }
  }

  /**
   * A fresh session for `spec`, announced with `ready` and a step-0 readback: fresh weights, or
   * `initialWeights` (copied; the caller keeps them).
   */
  private async build(spec: NetworkSpec, initialWeights?: ModelWeights, resume?: Checkpoint) {
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
  private async checkpointIfAhead() {
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
  private async announce(spec: NetworkSpec) {
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

  private scheduleChunk() {
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
  private async trainChunk(steps: number) {
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
  private async readAndPost(timing: { t0: number; steps: number } | null): Promise<boolean> {
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

  private async evaluateIfStale() {
    if (this.session && this.evaluation.stale(this.session.step, this.batch)) await this.evaluate();
  }

  private async evaluate() {
    if (this.session && !this.lost) await this.evaluation.measure(this.session);
  }

  private async expansion(budget: number): Promise<LearnedExpansion> {
    const session = this.session;
    if (!session || !this.settings) throw new Error('No network is ready to expand yet.');
    return expandRun(session, this.metrics, this.settings.target, budget, this.deps.expand, this.post);
  }

  private async preview(budget: number) {
    if (!this.settings) return;
    this.post(expansionEvent(await this.expansion(budget), this.settings.target, budget));
  }

  private async prune(fraction: number) {
    const session = this.session;
    if (!session || this.lost) return;
    this.setRunning(false);
    await this.pruned.prune(session, fraction, (spec, weights) => this.build(spec, weights));
  }

  private async retrain(budget: number) {
    const session = this.session;
    if (!session || !this.metrics) return;
    this.setRunning(false);
    await this.evaluateIfStale();
    const e = await this.expansion(budget);
    this.history = [
      ...this.history,
      {
        cycle: this.cycle,
        spec: session.spec,
        learned: e.learned,
        steps: session.step,
        testAccuracy: this.evaluation.accuracy,
        cost: { flops: this.metrics.flops, params: this.metrics.params },
      },
    ];
    this.cycle += 1;
    this.pruned.drop();
    await this.build(e.spec);
    this.setRunning(true);
    this.scheduleChunk();
  }
}
