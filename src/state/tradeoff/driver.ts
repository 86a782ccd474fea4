// One training worker driven step by step, as promises (the page's trade-off queue, ./queue.ts):
// build a network, train exactly N steps, measure test accuracy, prune. Single `step` requests,
// at most DEPTH in flight, so a network stops at exactly N steps, as the twin run does; written
// as promises so the queue reads as the recipe it follows ("train the seed, then prune it at each
// fraction") rather than as a state machine over worker events.
import type { NetworkSpec } from '../../morphnet/types.ts';
import type {
  CheckpointEvent,
  InferenceTimeEvent,
  InitRequest,
  MetricsEvent,
  ReadyEvent,
  RunConfig,
  WorkerEvent,
} from '../../protocol/messages.ts';
import type { WorkerPort } from '../actions.ts';
import { superviseWorker, type DeathReport, type SavedCheckpoint, type Supervised } from '../supervisor.ts';

const DEPTH = 2;

/** The worker was terminated (the queue stopped, or the page moved on): not a failure. */
export class DriverStopped extends Error {
  constructor() {
    super('stopped');
    this.name = 'DriverStopped';
  }
}

type Waiter =
  | { kind: 'ready'; resolve: (e: ReadyEvent) => void; reject: (e: Error) => void }
  | { kind: 'steps'; resolve: (e: MetricsEvent) => void; reject: (e: Error) => void }
  | { kind: 'evaluate'; resolve: (accuracy: number | null) => void; reject: (e: Error) => void }
  | { kind: 'time'; resolve: (e: InferenceTimeEvent) => void; reject: (e: Error) => void };

export interface DriverHooks {
  /** After each training step's readback (progress). */
  onStep?(step: number): void;
  /** A wait the worker announces ("Building the network", shader compilation), or null when over. */
  onWait?(label: string | null): void;
  /** Resolves when training may go on; the queue's pause holds it. */
  gate?(): Promise<void>;
  /** The worker's checkpoint of the network in training (the queue keeps it to resume from). */
  onCheckpoint?(e: CheckpointEvent): void;
}

export class WorkerDriver {
  backend: string | null = null;
  private waiter: Waiter | null = null;
  private target = 0;
  private sent = 0;
  private trained = 0;
  private accuracy: number | null = null;
  private fence = 0;
  private stopped = false;
  private readonly worker: Supervised;
  /** The network's init, sent again (from the last checkpoint) to a worker that replaces a dead one. */
  private lastInit: InitRequest | null = null;
  private pruning = false;
  private threshold = 0;
  /** A new worker is starting after the old one died: its `ready` resumes the wait in progress. */
  private restarting = false;

  /** `worker`: a factory (the page), so a dead worker can be replaced, or one port (tests). */
  constructor(
    worker: WorkerPort | (() => WorkerPort),
    private readonly hooks: DriverHooks = {},
  ) {
    this.worker = superviseWorker(typeof worker === 'function' ? worker : () => worker, {
      onEvent: (e) => this.receive(e),
      restart: (saved) => this.restartRequests(saved),
      onDeath: (report) => this.died(report),
    });
  }

  private died(report: DeathReport) {
    const w = this.waiter;
    // A prune starts from weights only the dead worker held: that point cannot be redone here.
    // A timing is not redone on the new worker: its caller is told and may ask again.
    if (report.restarting && !(w?.kind === 'ready' && this.pruning) && w?.kind !== 'time') {
      this.restarting = true;
      return;
    }
    this.waiter = null;
    this.lastInit = null;
    w?.reject(new Error(report.restarting ? 'The training worker stopped while pruning.' : report.message));
  }

  private restartRequests(saved: SavedCheckpoint | null): InitRequest[] {
    if (!this.lastInit || !this.restarting) return [];
    return [{ ...this.lastInit, ...(saved ? { resume: saved.checkpoint, resumeCycle: saved.cycle } : {}) }];
  }

  /** The new worker is ready at its checkpoint's step: the wait in progress goes on there. */
  private resumed(e: ReadyEvent) {
    this.restarting = false;
    this.sent = this.trained = e.step ?? 0;
    switch (this.waiter?.kind) {
      case 'ready':
        this.target = this.trained;
        this.settle('ready', e);
        return;
      case 'steps':
        void this.pump();
        return;
      case 'evaluate':
        // The ready's own readback comes first, then the fence's.
        this.fence = 2;
        this.worker.post({ type: 'evaluate' });
        this.worker.post({ type: 'settings', patch: { threshold: this.threshold } });
        return;
      default:
        return;
    }
  }

  /** Builds a network; with `resume`, from that checkpoint (the steps then count on from its step). */
  init(
    config: RunConfig,
    dataBase: string,
    resume: Pick<InitRequest, 'resume' | 'resumeCycle'> = {},
  ): Promise<ReadyEvent> {
    return this.wait('ready', () => {
      this.lastInit = { type: 'init', config, dataBase, ...resume };
      this.pruning = false;
      this.worker.post(this.lastInit);
    });
  }

  /** Prunes the network trained since the last init (the `prune` request) and waits for it. */
  prune(fraction: number): Promise<ReadyEvent> {
    return this.wait('ready', () => {
      this.pruning = true;
      this.worker.post({ type: 'prune', fraction });
    });
  }

  /** Trains `steps` more steps; resolves with the last step's readback. */
  train(steps: number): Promise<MetricsEvent> {
    return this.wait('steps', () => {
      this.target = this.trained + steps;
      void this.pump();
    });
  }

  /**
   * Test accuracy now, then a fence: an unchanged threshold makes a paused worker read back
   * once more after the evaluation (requests run in order), so its reply means "all done". Null
   * if the worker measured nothing.
   */
  evaluate(threshold: number): Promise<number | null> {
    return this.wait('evaluate', () => {
      this.accuracy = null;
      this.fence = 1;
      this.threshold = threshold;
      this.worker.post({ type: 'evaluate' });
      this.worker.post({ type: 'settings', patch: { threshold } });
    });
  }

  /** A forward pass of `spec` at every channel, `batch` images, timed on this worker's device. */
  timeNetwork(spec: NetworkSpec, batch: number): Promise<InferenceTimeEvent> {
    return this.wait('time', () => this.worker.post({ type: 'time-network', spec, batch }));
  }

  terminate(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.stop();
    this.waiter?.reject(new DriverStopped());
    this.waiter = null;
  }

  private wait<K extends Waiter['kind']>(
    kind: K,
    send: () => void,
  ): Promise<Parameters<Extract<Waiter, { kind: K }>['resolve']>[0]> {
    if (this.stopped) return Promise.reject(new DriverStopped());
    return new Promise((resolve, reject) => {
      this.waiter = { kind, resolve, reject } as Waiter;
      send();
    });
  }

  private async pump() {
    while (!this.stopped && this.sent < this.target && this.sent - this.trained < DEPTH) {
      // Checked before each step: a pause stops sending, the steps in flight finish.
      await this.hooks.gate?.();
      if (this.stopped || this.sent >= this.target || this.sent - this.trained >= DEPTH) return;
      this.worker.post({ type: 'step' });
      this.sent += 1;
    }
  }

  private settle<K extends Waiter['kind']>(
    kind: K,
    value: Parameters<Extract<Waiter, { kind: K }>['resolve']>[0],
  ) {
    const w = this.waiter;
    if (w?.kind !== kind) return;
    this.waiter = null;
    (w.resolve as (v: typeof value) => void)(value);
  }

  private receive(e: WorkerEvent) {
    if (this.stopped) return;
    switch (e.type) {
      case 'backend':
        this.backend = e.backend;
        break;
      case 'progress':
        this.hooks.onWait?.(e.done ? null : e.label);
        break;
      case 'ready':
        if (this.restarting) {
          this.resumed(e);
          break;
        }
        // A new network starts at step 0 (init and prune alike), a resumed one at its checkpoint's.
        this.sent = this.trained = this.target = e.step ?? 0;
        this.settle('ready', e);
        break;
      case 'evaluation':
        this.accuracy = e.testAccuracy;
        break;
      case 'inference-time':
        this.settle('time', e);
        break;
      case 'checkpoint':
        this.hooks.onCheckpoint?.(e);
        break;
      case 'metrics':
        if (this.waiter?.kind === 'evaluate') {
          this.fence -= 1;
          if (this.fence <= 0) this.settle('evaluate', this.accuracy);
          break;
        }
        if (this.waiter?.kind !== 'steps' || e.step <= this.trained) break;
        this.trained = e.step;
        this.hooks.onStep?.(e.step);
        if (this.trained >= this.target) this.settle('steps', e);
        else void this.pump();
        break;
      case 'error': {
        const w = this.waiter;
        this.waiter = null;
        w?.reject(new Error(e.message));
        break;
      }
      default:
        break;
    }
  }
}
