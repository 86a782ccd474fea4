// One training worker driven step by step, as promises (the page's trade-off queue, ./queue.ts):
// build a network, train exactly N steps, measure test accuracy, prune. Single `step` requests,
// at most DEPTH in flight, so a network stops at exactly N steps, as the twin run does; written
// as promises so the queue reads as the recipe it follows ("train the seed, then prune it at each
// fraction") rather than as a state machine over worker events.
import type {
  CheckpointEvent,
  InitRequest,
  MetricsEvent,
  ReadyEvent,
  RunConfig,
  WorkerEvent,
} from '../../protocol/messages.ts';
import type { WorkerPort } from '../actions.ts';

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
  | { kind: 'evaluate'; resolve: (accuracy: number | null) => void; reject: (e: Error) => void };

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

  constructor(
    private readonly worker: WorkerPort,
    private readonly hooks: DriverHooks = {},
  ) {
    worker.onmessage = (event) => this.receive(event.data);
  }

  /** Builds a network; with `resume`, from that checkpoint (the steps then count on from its step). */
  init(
    config: RunConfig,
    dataBase: string,
    resume: Pick<InitRequest, 'resume' | 'resumeCycle'> = {},
  ): Promise<ReadyEvent> {
    return this.wait('ready', () => this.worker.postMessage({ type: 'init', config, dataBase, ...resume }));
  }

  /** Prunes the network trained since the last init (the `prune` request) and waits for it. */
  prune(fraction: number): Promise<ReadyEvent> {
    return this.wait('ready', () => this.worker.postMessage({ type: 'prune', fraction }));
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
      this.worker.postMessage({ type: 'evaluate' });
      this.worker.postMessage({ type: 'settings', patch: { threshold } });
    });
  }

  terminate(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.terminate();
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
      this.worker.postMessage({ type: 'step' });
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
        // A new network starts at step 0 (init and prune alike), a resumed one at its checkpoint's.
        this.sent = this.trained = this.target = e.step ?? 0;
        this.settle('ready', e);
        break;
      case 'evaluation':
        this.accuracy = e.testAccuracy;
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
