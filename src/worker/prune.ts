// Magnitude pruning in the worker (the `prune` request): what the handler keeps of the trained
// network, and the pruned network's spec and starting weights. Split from handler.ts and injected
// through deps, so the handler's fake-engine tests need no tfjs.
import { pruneByMagnitude } from '../morphnet/baselines.ts';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { ModelWeights } from '../engine/model.ts';
import { disposeWeights, pruneWeights } from '../engine/prune.ts';
import type { Session, WeightAccess } from '../engine/types.ts';

/** The trained network every prune starts from, until the next init, reset or retrain. */
export interface PruneSource {
  spec: NetworkSpec;
  weights: ModelWeights;
  norms: Record<string, Float32Array>;
}

export interface Pruning {
  /** Copies the session's weights and reads its filter norms (one readback). */
  capture(session: Session): Promise<PruneSource>;
  /** The pruned spec and its starting weights (new tensors: release them once built). */
  prune(source: PruneSource, fraction: number): { spec: NetworkSpec; weights: ModelWeights };
  release(weights: ModelWeights): void;
}

const hasWeights = (s: Session): s is Session & WeightAccess =>
  typeof (s as Partial<WeightAccess>).exportWeights === 'function';

export const enginePruning: Pruning = {
  async capture(session) {
    if (!hasWeights(session))
      throw new Error('This engine cannot read its weights back, so it cannot prune.');
    const norms = await session.filterNorms();
    return { spec: session.spec, weights: session.exportWeights(), norms };
  },
  prune(source, fraction) {
    const pruned = pruneByMagnitude(source.spec, source.norms, fraction);
    return { spec: pruned.spec, weights: pruneWeights(source.weights, pruned.spec, pruned.kept) };
  },
  release: disposeWeights,
};

/**
 * The `prune` request's memory: the trained network every fraction prunes, captured at the first
 * prune and let go at the next init, reset or retrain.
 */
export class PruneKeeper {
  private source: PruneSource | null = null;

  constructor(private readonly pruning: Pruning) {}

  /** Builds the pruned network with `build` (which copies the weights) and frees them after. */
  async prune(
    session: Session,
    fraction: number,
    build: (spec: NetworkSpec, weights: ModelWeights) => Promise<void>,
  ) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw Object.assign(new Error(`Pruning needs a fraction from 0 to 1, not ${fraction}.`), {
        name: 'PruneError',
      });
    }
    this.source ??= await this.pruning.capture(session);
    const { spec, weights } = this.pruning.prune(this.source, fraction);
    try {
      await build(spec, weights);
    } finally {
      this.pruning.release(weights);
    }
  }

  drop(): void {
    if (this.source) this.pruning.release(this.source.weights);
    this.source = null;
  }
}
