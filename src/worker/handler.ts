// The worker's logic: turns page requests into engine calls and streams events back. It owns the
// Session (through TrainingLoop in ./loop.ts, the training half). Everything it needs from tfjs,
// the engine and the method comes in through `deps`, so it runs in Node under Vitest on the cpu
// backend (web-llm's worker handler is the model).
import type { Dataset } from '../engine/types.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { InitRequest, LiveSettings, PostFn, Request } from '../protocol/messages.ts';
import type { StudioDeps } from './deps.ts';
import { checkTrainable } from '../morphnet/spec-limits.ts';
import { measureDeviceRequest, timeInferenceRequest } from './device.ts';
import { debugFault, specFailure } from './faults.ts';
import { expandRun, expansionEvent, type LearnedExpansion } from './expand.ts';
import { TrainingLoop } from './loop.ts';
import type { PacingOptions } from './pacing.ts';
import { PruneKeeper } from './prune.ts';
import { buildFromStart } from './start-weights.ts';
import { MALFORMED_REQUEST, parseRequest } from './requests.ts';
import { timeNetworkRequest } from './time-network.ts';
import { WorkerResources } from './resources.ts';

export class StudioHandler extends TrainingLoop {
  private readonly resources: WorkerResources;
  private readonly pruned: PruneKeeper;

  constructor(post: PostFn, deps: StudioDeps, options: Partial<PacingOptions> = {}) {
    super(post, deps, options);
    this.pruned = new PruneKeeper(deps.pruning);
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
      case 'measure-device':
        return measureDeviceRequest(this.deps.device, req.fresh === true, this.post);
      case 'time-inference':
        return timeInferenceRequest(this.deps.device, this.lost ? null : this.session, this.metrics, req.batch, this.post);
      case 'time-network':
        return timeNetworkRequest(this.deps.device, req.spec, req.batch, this.post);
      case 'ping':
      case 'debug':
        return;
      default: {
        const never: never = req;
        throw new Error(`unknown request ${JSON.stringify(never)}`);
      }
    }
  }

  private applySettings(patch: Partial<LiveSettings>) {
    if (!this.settings) return;
    this.settings = { ...this.settings, ...patch };
    this.session?.updateSettings(patch);
  }

  private async init(req: InitRequest) {
    this.setRunning(false);
    let dataset: Dataset;
    let seed: NetworkSpec;
    // Load the data and check the spec before giving up the old run: a bad import or a missing
    // dataset file must break nothing.
    let spec: NetworkSpec;
    try {
      ({ dataset, seed } = await this.resources.network(req.config, req.dataBase));
      spec = req.resumeCycle ? this.deps.fitSpec(req.resumeCycle.spec, dataset) : seed;
      // A network whose step would not fit in memory at this batch is refused before tfjs dies
      // on it ("Invalid typed array length", "Aborted()").
      checkTrainable(spec, req.config.settings.batch);
    } catch (err) {
      // The page stopped showing the old run when it asked for this one: show it again.
      if (this.session) await this.announce(this.session.spec);
      // Whatever an imported spec breaks, it is the spec's fault, said in plain words.
      throw req.config.net.kind === 'spec' ? specFailure(err) : err;
    }
    // After the network is known: 'auto' times each backend on it (backend.ts).
    this.onGpu = (
      await this.resources.backend(req.config.backend, { spec, batch: req.config.settings.batch })
    ).onGpu;
    this.dataset = dataset;
    this.settings = { ...req.config.settings };
    this.seedSpec = seed;
    this.seedCost = this.deps.specCost(seed);
    this.cycle = req.resumeCycle?.cycle ?? 0;
    this.history = req.resumeCycle?.history ?? [];
    this.pruned.drop();
    if (!req.resume) {
      try {
        // Trained starting weights belong to the seed ("Start from"; the page sends none for an import).
        return await buildFromStart(req.initialWeights, (w) => this.build(spec, w), this.post);
      } catch (err) {
        // An imported network that passes the checks but cannot be built is the spec's fault too.
        throw req.config.net.kind === 'spec' ? specFailure(err) : err;
      }
    }
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

  private async expansion(budget: number): Promise<LearnedExpansion> {
    const session = this.session;
    if (!session || !this.settings) throw new Error('No network is ready to expand yet.');
    const { target, latency } = this.settings;
    return expandRun(session, this.metrics, target, budget, this.deps.expand, this.post, latency);
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
