// The one place that creates a worker and keeps it alive (issue 9: nothing stuck in the page).
// Main, twin and trade-off workers all go through superviseWorker: it installs onerror and
// onmessageerror, validates every incoming message, notices a worker that died or stopped
// answering (no reply to a ping), and starts a new one from the last checkpoint it saw; after a
// few failed starts in a row it gives up with a plain message and waits for retry().
import type { FaultEvent, ProgressTask, Request, ResumeCycle, WorkerEvent } from '../protocol/messages.ts';
import type { Checkpoint } from '../engine/types.ts';
import { parseEvent } from './validate-event.ts';

/** The part of a Worker the page uses (a fake one in tests). */
export interface WorkerPort {
  postMessage(message: Request): void;
  onmessage: ((event: MessageEvent<WorkerEvent>) => void) | null;
  onerror?: ((event: ErrorEvent) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
  terminate(): void;
}

export interface SavedCheckpoint {
  checkpoint: Checkpoint;
  cycle: ResumeCycle;
}

export interface DeathReport {
  /** Plain words for the page. */
  message: string;
  /** A new worker is starting (false: the supervisor gave up; retry() tries again). */
  restarting: boolean;
  /** The step the new worker resumes from, or null when it starts afresh. */
  restored: number | null;
  /** The last step the dead worker reported. */
  step: number;
  kind: FaultEvent['kind'];
}

export interface SupervisorHandlers {
  /** Every valid event from the worker, in order. */
  onEvent(event: WorkerEvent): void;
  /** The requests that rebuild the run in a fresh worker, from the last checkpoint (null: none). */
  restart(saved: SavedCheckpoint | null): Request[];
  onDeath(report: DeathReport): void;
}

export interface SupervisorOptions {
  /** How the page names this worker: "training worker", "twin FLOPs run's worker". */
  name: string;
  /** Silence after which the worker is pinged. */
  pingAfterMs: number;
  /**
   * Silence after which it is taken for dead, while nothing long is announced (or four of its
   * last training chunks, when those are longer: a slow CPU with a big batch)...
   */
  answerWithinMs: number;
  /** ...and while a wait is announced (a WebGL or SwiftShader shader compile blocks the worker's thread). */
  waitAnswerWithinMs: number;
  /** Before its first message (loading the worker's script and tfjs). */
  startAnswerWithinMs: number;
  /** Deaths in a row, with no step past the one it died at, before giving up. */
  maxStarts: number;
}

export const SUPERVISION: Omit<SupervisorOptions, 'name'> = {
  pingAfterMs: 2_000,
  answerWithinMs: 10_000,
  waitAnswerWithinMs: 120_000,
  startAnswerWithinMs: 60_000,
  maxStarts: 3,
};

export interface Supervised {
  post(request: Request): void;
  /** The last checkpoint of the network training now. */
  readonly saved: SavedCheckpoint | null;
  readonly gaveUp: boolean;
  /** After giving up (the page's "Try again"): starts a new worker from the last checkpoint. */
  retry(): void;
  /** A new worker with nothing carried over (a backend change; Reset after a fault). */
  replace(): void;
  /** Ends the worker for good. */
  stop(): void;
  /** Test hook: ends the worker behind the supervisor's back, as a crash would. */
  kill(): void;
}

/** Waits whose first GPU work compiles shaders, which blocks the worker's thread (a dataset load does not). */
const BLOCKING = new Set<ProgressTask>(['build', 'compile', 'evaluate', 'expand', 'measure']);

/** Requests after which the worker builds a new network: older checkpoints no longer apply. */
const NEW_NETWORK = new Set<Request['type']>(['reset', 'retrain', 'prune']);

export function superviseWorker(
  make: () => WorkerPort,
  handlers: SupervisorHandlers,
  options: Partial<SupervisorOptions> = {},
): Supervised {
  const o: SupervisorOptions = { name: 'training worker', ...SUPERVISION, ...options };
  let port: WorkerPort | null = null;
  let saved: SavedCheckpoint | null = null;
  /** A new network was asked for: checkpoints of the old one still in flight are ignored. */
  let awaitingReady = false;
  let failures = 0;
  let gaveUp = false;
  let stopped = false;
  let lastStep = 0;
  let deathStep = -1;
  let heard = false;
  let lastHeard = Date.now();
  let pingId = 0;
  let chunkMs = 0;
  /** Announced waits that can block the worker's thread (a WebGL or SwiftShader shader compile). */
  const waits = new Set<string>();
  let timer: ReturnType<typeof setInterval> | null = null;

  function receive(data: unknown) {
    lastHeard = Date.now();
    heard = true;
    const e = parseEvent(data);
    if (e === null) return;
    switch (e.type) {
      case 'pong':
        return;
      case 'progress':
        if (e.done) waits.delete(e.task);
        else if (BLOCKING.has(e.task)) waits.add(e.task);
        break;
      case 'ready':
        awaitingReady = false;
        break;
      case 'checkpoint':
        if (awaitingReady) return;
        saved = { checkpoint: e.checkpoint, cycle: e.cycle };
        break;
      case 'metrics':
        lastStep = e.step;
        if (e.chunk) chunkMs = e.chunk.ms;
        // Past the step it last died at: the restart worked, failures start over.
        if (e.step > deathStep) failures = 0;
        break;
      default:
        break;
    }
    handlers.onEvent(e);
    // tfjs cannot bring a lost GPU device back in the same worker: a new worker gets a new one.
    if (e.type === 'fault' && e.kind === 'device-lost') die(e.message, 'device-lost');
  }

  function check() {
    if (!port) return;
    const silent = Date.now() - lastHeard;
    const limit = !heard
      ? o.startAnswerWithinMs
      : waits.size > 0
        ? o.waitAnswerWithinMs
        : Math.max(o.answerWithinMs, 4 * chunkMs);
    if (silent > limit) die(`The ${o.name} stopped answering.`, 'crashed');
    else if (silent >= o.pingAfterMs) port.postMessage({ type: 'ping', id: ++pingId });
  }

  function end() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    const p = port;
    port = null;
    if (!p) return;
    p.onmessage = null;
    p.onerror = null;
    p.onmessageerror = null;
    try {
      p.terminate();
    } catch {
      // Already gone.
    }
  }

  function spawn(requests: Request[]) {
    end();
    heard = false;
    lastHeard = Date.now();
    waits.clear();
    try {
      port = make();
    } catch (err) {
      console.error(`page: could not create the ${o.name}`, err);
      queueMicrotask(() => die(`The ${o.name} could not be created.`, 'crashed'));
      return;
    }
    const p = port;
    p.onmessage = (event) => {
      if (port === p) receive(event.data);
    };
    p.onerror = (event) => {
      if (port !== p) return;
      // The detail (a stack, a 404) is for developers; the page gets plain words.
      console.error(`page: the ${o.name} failed`, event.message ?? event);
      event.preventDefault?.();
      die(heard ? `The ${o.name} crashed.` : `The ${o.name} could not start.`, 'crashed');
    };
    p.onmessageerror = (event) => {
      if (port !== p) return;
      lastHeard = Date.now();
      console.warn(`page: a message from the ${o.name} could not be read`, event);
    };
    timer = setInterval(check, Math.max(250, Math.min(1_000, o.pingAfterMs / 2)));
    (timer as { unref?: () => void }).unref?.();
    for (const r of requests) p.postMessage(r);
  }

  function die(why: string, kind: FaultEvent['kind']) {
    if (stopped || !port) return;
    end();
    failures += 1;
    deathStep = Math.max(deathStep, lastStep);
    const step = lastStep;
    if (failures >= o.maxStarts) {
      gaveUp = true;
      handlers.onDeath({
        message: `${why} The ${o.name} failed ${failures} times in a row, so the page stopped trying. Press Try again, or reload the page.`,
        restarting: false,
        restored: null,
        step,
        kind,
      });
      return;
    }
    const restored = saved?.checkpoint.step ?? null;
    const from = restored === null ? 'from the start' : `from step ${restored}`;
    handlers.onDeath({ message: `${why} Started a new ${o.name} ${from}.`, restarting: true, restored, step, kind });
    lastStep = restored ?? 0;
    awaitingReady = false;
    spawn(handlers.restart(saved));
  }

  spawn([]);

  return {
    post(request) {
      if (request.type === 'init' ? request.resume === undefined : NEW_NETWORK.has(request.type)) {
        saved = null;
        awaitingReady = true;
        lastStep = 0;
        deathStep = -1;
      }
      if (port) port.postMessage(request);
    },
    get saved() {
      return saved;
    },
    get gaveUp() {
      return gaveUp;
    },
    retry() {
      if (stopped) return;
      gaveUp = false;
      failures = 0;
      deathStep = -1;
      lastStep = saved?.checkpoint.step ?? 0;
      spawn(handlers.restart(saved));
    },
    replace() {
      if (stopped) return;
      gaveUp = false;
      failures = 0;
      saved = null;
      lastStep = 0;
      deathStep = -1;
      spawn([]);
    },
    stop() {
      stopped = true;
      end();
    },
    kill() {
      port?.terminate();
    },
  };
}
