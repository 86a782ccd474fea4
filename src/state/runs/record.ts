// A saved run: everything the page trained between one (re)build of the network and the next,
// as plain JSON-safe data. The same object is the IndexedDB row and the exported file, so an
// export → import round trip gives back the very same record.
import type { AliveCounts, LatencySettings, NetworkSpec, Target } from '../../morphnet/types.ts';
import type { BackendName, Cost, CycleRecord } from '../../protocol/messages.ts';
import type { StudioSettings } from '../url.ts';
import { predictedLatencyNs } from './latency.ts';

export const RUN_FORMAT = 'morphnet-run';
export const RUN_VERSION = 1;

/** One training readback of a cycle's loss/accuracy curve. */
export interface RunCurvePoint {
  cycle: number;
  step: number;
  taskLoss: number;
  regLoss: number;
  trainAccuracy: number;
}
export interface RunCostPoint {
  cycle: number;
  step: number;
  flops: number;
  params: number;
}
export interface RunTestPoint {
  cycle: number;
  step: number;
  accuracy: number;
}

/** The metrics history of every cycle, oldest first; `cycle` says which network it was. */
export interface RunMetrics {
  curve: RunCurvePoint[];
  costCurve: RunCostPoint[];
  testCurve: RunTestPoint[];
}

/**
 * Something that went wrong while the run trained and what the page did about it (the worker's
 * 'fault' event: a divergence, a lost GPU device, a worker that died and was restarted).
 */
export interface RunFault {
  kind: 'diverged' | 'device-lost' | 'crashed';
  step: number;
  /** The step the run went back to (a checkpoint), or null when nothing was restored. */
  restored: number | null;
  message: string;
}

/** Where a run was trained: on the studio page, or as one of a twin run's two runs. */
export type RunOrigin = 'studio' | 'twin';

export interface RunRecord {
  format: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  /** Unique; the IndexedDB key. */
  id: string;
  /** Shown in the runs list; the person can rename it. */
  name: string;
  pinned: boolean;
  /** ISO 8601 times; the list is newest `createdAt` first. */
  createdAt: string;
  updatedAt: string;
  origin: RunOrigin;
  /** Runs made together (the two runs of a twin run) share a group id; null otherwise. */
  group: string | null;
  /** The page settings as they were last (target, strength, threshold and lr may change mid-run). */
  settings: StudioSettings;
  /** True when the seed was a spec file the person imported, not the built-in `settings.net`. */
  importedSpec: boolean;
  /** The seed network, and the network training now (the seed, or an expansion of it). */
  seedSpec: NetworkSpec;
  spec: NetworkSpec;
  seedCost: Cost;
  /** Steps trained in the current cycle; 0 for the seed, 1 after the first expansion, ... */
  step: number;
  cycle: number;
  /** Each finished cycle, oldest first (the worker's CycleRecord). */
  history: CycleRecord[];
  metrics: RunMetrics;
  /** The learned structure now: alive output channels per conv/depthwise layer. */
  alive: AliveCounts;
  cost: Cost | null;
  testAccuracy: number | null;
  backend: BackendName | null;
  /** The faults the run went through, oldest first; absent when there were none. */
  faults?: RunFault[];
  /**
   * The device a latency-targeted run priced for and its latency batch (issue 13), as last
   * trained; absent for FLOPs and size runs (and for runs made before it was kept).
   */
  latency?: LatencySettings;
}

/** What describes a record rather than the run: a new record gets defaults for them. */
type RunMetaKey = 'id' | 'name' | 'pinned' | 'createdAt' | 'updatedAt' | 'origin' | 'group';

/** What the runs list and the test API show of a run, without the heavy parts. */
export interface RunSummary extends Pick<
  RunRecord,
  RunMetaKey | 'step' | 'cycle' | 'alive' | 'cost' | 'seedCost' | 'testAccuracy'
> {
  net: string;
  dataset: StudioSettings['dataset'];
  target: Target;
  seed: number;
  /** Absent (as in summaries made before faults were kept) means none. */
  faults?: RunFault[];
  /** The step of the run's saved checkpoint (Resume continues from it); null or absent without weights. */
  resumeStep?: number | null;
  /** A latency run's device and batch, and its predicted latency (ns) now there; absent otherwise. */
  latency?: LatencySettings;
  latencyNs?: number;
}

export function summarizeRun(r: RunRecord, resumeStep: number | null = null): RunSummary {
  return {
    id: r.id,
    name: r.name,
    pinned: r.pinned,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    origin: r.origin,
    group: r.group,
    net: r.seedSpec.name,
    dataset: r.settings.dataset,
    target: r.settings.target,
    seed: r.settings.seed,
    step: r.step,
    cycle: r.cycle,
    alive: r.alive,
    cost: r.cost,
    seedCost: r.seedCost,
    testAccuracy: r.testAccuracy,
    faults: r.faults ?? [],
    resumeStep,
    ...(r.latency ? { latency: r.latency, latencyNs: predictedLatencyNs(r)! } : {}),
  };
}

/** Pinned first, then newest first (ties by id, so the order is stable). */
export function compareRuns(a: RunSummary, b: RunSummary): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A new unique id: time-ordered, then random (crypto where there is one). */
export function newRunId(now: Date = new Date()): string {
  const rand =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID().slice(0, 8)
      : Math.random().toString(16).slice(2, 10);
  return `run-${now.getTime().toString(36)}-${rand}`;
}

/** A default name: "plain-cnn · shapes · FLOPs · seed 1". */
export function defaultRunName(settings: StudioSettings, seedSpec: NetworkSpec): string {
  const target = { flops: 'FLOPs', size: 'size', latency: 'latency' }[settings.target];
  return `${seedSpec.name} · ${settings.dataset} · ${target} · seed ${settings.seed}`;
}

export type NewRunFields = Omit<RunRecord, 'format' | 'version' | RunMetaKey> &
  Partial<Pick<RunRecord, RunMetaKey>>;

/** A complete record from the run's data; id, name, times, origin and group get defaults. */
export function createRunRecord(fields: NewRunFields, now: Date = new Date()): RunRecord {
  const time = now.toISOString();
  return {
    ...fields,
    format: RUN_FORMAT,
    version: RUN_VERSION,
    id: fields.id ?? newRunId(now),
    name: fields.name ?? defaultRunName(fields.settings, fields.seedSpec),
    pinned: fields.pinned ?? false,
    createdAt: fields.createdAt ?? time,
    updatedAt: fields.updatedAt ?? time,
    origin: fields.origin ?? 'studio',
    group: fields.group ?? null,
  };
}

/** FLOPs of the alive network as a fraction of the seed's (null before the first readback). */
export function flopsFraction(r: Pick<RunSummary, 'cost' | 'seedCost'>): number | null {
  if (!r.cost || !(r.seedCost.flops > 0)) return null;
  return r.cost.flops / r.seedCost.flops;
}
