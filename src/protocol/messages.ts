// The messages between the page and the training worker: types only, no code that runs.
// Hand-written discriminated unions on `type` (STYLE.md); every payload is tied to its tag so
// neither side casts. Requests flow page → worker, events flow worker → page as a stream.
import type { Checkpoint, DatasetName, TensorData, TrainSettings } from '../engine/types.ts';
import type { AliveCounts, NetworkSpec, Target } from '../morphnet/types.ts';
// A type only: the measurement's shape is the probe's own (engine/device-probe.ts).
import type { DeviceMeasurement } from '../engine/device-probe.ts';

/** What the page asks for. `auto` prefers a hardware WebGPU adapter, then WebGL, then CPU. */
export type BackendPreference = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** The network to train: a built-in seed by name, or a spec the user imported. */
export type NetworkSource = { kind: 'builtin'; name: string } | { kind: 'spec'; spec: NetworkSpec };

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  description: string;
  /** A software adapter (SwiftShader): it works but is 10-100x slower than a GPU. */
  isFallback: boolean;
}

export interface Cost {
  flops: number;
  params: number;
  /** Predicted latency in ns on the run's latency device, where the event prices one (an expansion under the latency target). */
  latencyNs?: number;
}

/** The settings that can change while training without rebuilding anything. */
export type LiveSettings = Pick<TrainSettings, 'target' | 'strength' | 'threshold' | 'lr' | 'latency'>;

export interface RunConfig {
  backend: BackendPreference;
  net: NetworkSource;
  dataset: DatasetName;
  settings: TrainSettings;
}

// ---- page → worker ----

export interface InitRequest {
  type: 'init';
  config: RunConfig;
  /** Where the prepared dataset files live (the page's `/data/`). */
  dataBase: string;
  /** Start the run from this checkpoint (a restarted worker, a resumed run) instead of afresh. */
  resume?: Checkpoint;
  /**
   * The network `resume` belongs to when it is not the config's own (an expanded cycle, a pruned
   * network): its spec, cycle and the cycles before it.
   */
  resumeCycle?: ResumeCycle;
  /**
   * Without `resume`: the seed starts from these weights (by `<layer>/<what>`, "Start from: trained
   * on ...", checked by the page against their SHA-256) instead of a seeded initialization.
   */
  initialWeights?: Record<string, TensorData>;
}
export interface ResumeCycle {
  spec: NetworkSpec;
  cycle: number;
  history: CycleRecord[];
}
export interface TrainRequest {
  type: 'train';
}
export interface PauseRequest {
  type: 'pause';
}
/**
 * Measure test accuracy now, however long it takes (the pause evaluates only when cheap): a
 * twin run or a baseline that reached its step count needs its number even on a slow backend.
 */
export interface EvaluateRequest {
  type: 'evaluate';
}
export interface StepRequest {
  type: 'step';
}
/** Back to the seed network, cycle 0, step 0, fresh weights. */
export interface ResetRequest {
  type: 'reset';
}
export interface SettingsRequest {
  type: 'settings';
  patch: Partial<LiveSettings>;
}
/** Preview the expansion of the current learned structure to `budget` (the target's units). */
export interface ExpandPreviewRequest {
  type: 'expand-preview';
  budget: number;
}
/** Rebuild at the expanded widths with a fresh initialization and train: the next cycle. */
export interface RetrainRequest {
  type: 'retrain';
  budget: number;
}

/**
 * Magnitude filter pruning (the trade-off chart's baseline, seeds/003): remove round(fraction ·
 * width) filters with the smallest L2 norm from each layer of the network trained since the last
 * init, reset or retrain, keep the survivors' weights, and make that the network to train (step
 * 0, `ready` follows): fine-tuning. A second prune starts again from that same trained network,
 * not from the pruned one, so one trained seed gives every fraction.
 */
export interface PruneRequest {
  type: 'prune';
  /** In [0, 1]. */
  fraction: number;
}

/**
 * Are you there? Answered at once with `pong` (outside the request queue), so a page can tell a
 * dead or hung worker from a busy one (src/state/supervisor.ts).
 */
export interface PingRequest {
  type: 'ping';
  id: number;
}

/** Faults on demand for the end-to-end tests; honoured only when the page runs under test. */
export type DebugAction = 'lose-device' | 'throw' | 'hang' | 'diverge';
export interface DebugRequest {
  type: 'debug';
  action: DebugAction;
}

/**
 * Measure the device the worker trains on for the latency target (engine/device-probe.ts): the
 * measurement kept for this adapter and backend unless `fresh`. Answered with `device`.
 */
export interface MeasureDeviceRequest {
  type: 'measure-device';
  fresh?: boolean;
}
/**
 * Time real inference of the network training now at its alive widths, `batch` images a pass
 * (engine/inference-time.ts). Answered with `inference-time`.
 */
export interface TimeInferenceRequest {
  type: 'time-inference';
  batch: number;
}
/**
 * Time a forward pass of `spec` (every channel it has), `batch` images a pass, on this device,
 * whatever the worker is training (the trade-off chart's measured-latency axis, one point each).
 * Answered with `inference-time` (step 0, no alive counts).
 */
export interface TimeNetworkRequest {
  type: 'time-network';
  spec: NetworkSpec;
  batch: number;
}

export type Request =
  | InitRequest
  | PingRequest
  | DebugRequest
  | PruneRequest
  | TrainRequest
  | PauseRequest
  | EvaluateRequest
  | StepRequest
  | ResetRequest
  | SettingsRequest
  | ExpandPreviewRequest
  | RetrainRequest
  | MeasureDeviceRequest
  | TimeInferenceRequest
  | TimeNetworkRequest;

// ---- worker → page ----

export interface BackendEvent {
  type: 'backend';
  backend: BackendName;
  adapter: AdapterDescription | null;
  /** Plain words for the page when the backend is not the one a person would hope for. */
  note: string | null;
}

/** `measure`: measuring the device or timing inference (the latency target). */
export type ProgressTask = 'dataset' | 'build' | 'compile' | 'evaluate' | 'expand' | 'measure';
export interface ProgressEvent {
  type: 'progress';
  task: ProgressTask;
  label: string;
  /** 0..1, or null when the wait has no measurable progress (shader compilation). */
  fraction: number | null;
  done: boolean;
}

/** A network is built and ready to train (after init, reset, retrain and prune). */
export interface ReadyEvent {
  type: 'ready';
  /** The spec training now, and the original seed (the budget's reference). */
  spec: NetworkSpec;
  seedSpec: NetworkSpec;
  seedCost: Cost;
  /** 0 for the seed, 1 after the first expansion, and so on. */
  cycle: number;
  /** Each finished cycle's learned alive counts, oldest first (for seed → learned → expanded). */
  history: CycleRecord[];
  datasetName: DatasetName;
  classNames: string[];
  /** The step the network starts at: 0, or the checkpoint's step for a resumed run. */
  step?: number;
}

export interface CycleRecord {
  cycle: number;
  spec: NetworkSpec;
  learned: AliveCounts;
  steps: number;
  testAccuracy: number | null;
  cost: Cost;
}

export interface RunningEvent {
  type: 'running';
  running: boolean;
}

/**
 * One batched readback. `gammas` are laid end to end in one Float32Array (sent in the transfer
 * list), sliced by `gammaLayers[i]` of length `gammaSizes[i]`.
 */
export interface MetricsEvent {
  type: 'metrics';
  step: number;
  taskLoss: number;
  regLoss: number;
  regValue: number;
  trainAccuracy: number;
  gammaLayers: string[];
  gammaSizes: number[];
  gammas: Float32Array;
  alive: AliveCounts;
  cost: Cost;
  /** Median milliseconds a step took lately, for the page's speed readout. */
  stepMs: number;
  /** The training chunk this readback ends (absent for a readback outside training). */
  chunk?: ChunkTiming;
}

/**
 * Measured in the worker, read by `npm run bench` (scripts/bench): the readback's share of
 * training time. On a GPU `readMs` also waits for the chunk's queued steps to finish, so there
 * it is an upper bound on the readback's own cost.
 */
export interface ChunkTiming {
  /** Training steps in the chunk. */
  steps: number;
  /** From the first step's start to the end of the readback. */
  ms: number;
  /** The readback alone (`Session.readMetrics`). */
  readMs: number;
}

export interface EvaluationEvent {
  type: 'evaluation';
  step: number;
  testAccuracy: number;
}

export interface ExpansionEvent {
  type: 'expansion';
  target: Target;
  budget: number;
  omega: number;
  /** Alive counts the expansion started from and the widths it gives, per conv layer. */
  learned: AliveCounts;
  widths: AliveCounts;
  spec: NetworkSpec;
  cost: Cost;
}

export interface ErrorEvent {
  type: 'error';
  /** `spec`: an imported or built-in spec was rejected; `fatal`: the worker cannot go on. */
  kind: 'spec' | 'dataset' | 'device' | 'fatal' | 'request';
  message: string;
}

/** Take a checkpoint every this many steps (or CHECKPOINT_EVERY_MS of training, whichever first). */
export const CHECKPOINT_EVERY = 50;
export const CHECKPOINT_EVERY_MS = 15_000;

/**
 * What is needed to continue the run training now (taken every CHECKPOINT_EVERY steps, at step 0
 * and on pause), with the network it belongs to.
 */
export interface CheckpointEvent {
  type: 'checkpoint';
  checkpoint: Checkpoint;
  cycle: ResumeCycle;
}

export type FaultKind = 'diverged' | 'device-lost' | 'crashed';
/** Something went wrong and was recovered from, in plain words for the user. */
export interface FaultEvent {
  type: 'fault';
  kind: FaultKind;
  step: number;
  /** The step the run went back to (a checkpoint), or null when nothing was restored. */
  restored: number | null;
  message: string;
}

export interface PongEvent {
  type: 'pong';
  id: number;
}

/** This device, measured now or earlier (`cached`: kept from an earlier visit for this adapter and backend). */
export interface DeviceEvent {
  type: 'device';
  measurement: DeviceMeasurement;
  cached: boolean;
}

/** A forward pass of `spec` at `alive`, `batch` images, timed on this device: the median of `runs`. */
export interface InferenceTimeEvent {
  type: 'inference-time';
  step: number;
  spec: NetworkSpec;
  alive: AliveCounts;
  batch: number;
  medianMs: number;
  /** The fastest of the `runs` (on a busy machine closer to the device's own speed). */
  fastestMs?: number;
  runs: number;
}

export type WorkerEvent =
  | CheckpointEvent
  | FaultEvent
  | PongEvent
  | BackendEvent
  | ProgressEvent
  | ReadyEvent
  | RunningEvent
  | MetricsEvent
  | EvaluationEvent
  | ExpansionEvent
  | ErrorEvent
  | DeviceEvent
  | InferenceTimeEvent;

/** How the worker sends: the payload and the buffers it gives away. */
export type PostFn = (event: WorkerEvent, transfer?: Transferable[]) => void;
