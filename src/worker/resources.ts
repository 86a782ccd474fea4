// What outlives a run in the worker: the tfjs backend, chosen once (tfjs cannot switch it under
// live tensors), and the datasets, each loaded once and kept for the next init. Split from
// handler.ts, which decides what to train; this only fetches and reports.
import type { Dataset, DatasetName } from '../engine/types.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { BackendPreference, ErrorEvent, PostFn, ProgressTask, RunConfig } from '../protocol/messages.ts';
import type { ProbeNetwork, StudioDeps } from './deps.ts';

/** A bug rather than a user's mistake: its words are for developers, not for the page. */
export function isInternal(err: unknown): boolean {
  if (!(err instanceof Error)) return true;
  return ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError'].includes(
    err.name,
  );
}

export const INTERNAL_ERROR =
  'The training worker hit an internal error and stopped what it was doing (the browser console has the details).';

/** The first line of an error, for the page (never a stack); an internal one in plain words, its detail in the console. */
export function errorMessage(err: unknown): string {
  if (isInternal(err)) {
    console.error('training worker: internal error', err);
    return INTERNAL_ERROR;
  }
  return (err as Error).message.split('\n')[0]!;
}

/** A rejected spec, a bad dataset, an unreachable budget or a bad pruning fraction is the request's fault: training can go on. */
export function errorKind(err: unknown, fallback: ErrorEvent['kind']): ErrorEvent['kind'] {
  const name = err instanceof Error ? err.name : '';
  if (name === 'SpecError') return 'spec';
  if (name === 'DataError') return 'dataset';
  if (name === 'ExpandError' || name === 'PruneError') return 'request';
  return fallback;
}

export class WorkerResources {
  private backendReady: Promise<{ onGpu: boolean }> | null = null;
  private datasets = new Map<DatasetName, Dataset>();

  constructor(
    private readonly post: PostFn,
    private readonly deps: Pick<StudioDeps, 'selectBackend' | 'loadDataset' | 'builtinSpec' | 'fitSpec'>,
    /** Called once if the GPU device is lost: the worker cannot train any more. */
    private readonly onLost: (why: string) => void,
  ) {}

  private progress(task: ProgressTask, label: string, fraction: number | null, done = false) {
    this.post({ type: 'progress', task, label, fraction, done });
  }

  /** The backend, selected and announced on the first call; later calls keep it. */
  backend(pref: BackendPreference, network?: ProbeNetwork): Promise<{ onGpu: boolean }> {
    this.backendReady ??= this.deps.selectBackend(pref, network).then((choice) => {
      this.post({ type: 'backend', backend: choice.backend, adapter: choice.adapter, note: choice.note });
      void choice.lost?.then(this.onLost);
      return { onGpu: choice.backend === 'webgpu' || choice.backend === 'webgl' };
    });
    return this.backendReady;
  }

  /** The dataset, loaded with progress events the first time. */
  async dataset(name: DatasetName, base: string): Promise<Dataset> {
    const cached = this.datasets.get(name);
    if (cached) return cached;
    const label = `Loading the ${name} dataset`;
    this.progress('dataset', label, 0);
    try {
      const dataset = await this.deps.loadDataset(name, base, (f) => this.progress('dataset', label, f));
      this.datasets.set(name, dataset);
      return dataset;
    } finally {
      this.progress('dataset', '', 1, true);
    }
  }

  /** The config's dataset and its network fitted to it; throws (DataError, SpecError) before anything changes. */
  async network(config: RunConfig, base: string): Promise<{ dataset: Dataset; seed: NetworkSpec }> {
    const dataset = await this.dataset(config.dataset, base);
    const net = config.net;
    const seed =
      net.kind === 'builtin'
        ? this.deps.builtinSpec(net.name, dataset)
        : this.deps.fitSpec(net.spec, dataset);
    return { dataset, seed };
  }
}
