// The PyTorch package of a studio run (the page's "Export this run"): the network it trains, or
// that network at the widths it has learned, with F(seed) of the run's seed as the studio uses it.
import { pruneSpec } from '../morphnet/expand.ts';
import { validateSpec } from '../morphnet/spec.ts';
import type { AliveCounts, LatencySettings, NetworkSpec, Target } from '../morphnet/types.ts';
import { pytorchPackage } from './pytorch.ts';

/** What a run record (src/state/runs/record.ts) carries that the package needs. */
export interface RunNetwork {
  seedSpec: NetworkSpec;
  spec: NetworkSpec;
  alive: AliveCounts;
  importedSpec: boolean;
  settings: { net: string; target?: Target };
  /** A latency run's device and batch (the record's `latency`). */
  latency?: LatencySettings;
}

export type RunPackageWidths = 'spec' | 'alive';

export class RunPackageError extends Error {
  override name = 'RunPackageError';
}

/** The package's files by name; `widths: 'alive'` builds the network at the run's alive counts. */
export function runPytorchPackage(
  run: RunNetwork,
  sources: Readonly<Record<string, string>>,
  widths: RunPackageWidths = 'spec',
): Record<string, string> {
  let spec = run.spec;
  if (widths === 'alive') {
    const pruned = pruneSpec(run.spec, run.alive);
    if (pruned === null) {
      throw new RunPackageError(
        'this run has learned no path from the image to the logits: export its full network instead',
      );
    }
    spec = validateSpec(pruned, 'the learned structure');
  }
  return pytorchPackage(spec, sources, {
    seed: run.seedSpec,
    net: run.importedSpec ? null : run.settings.net,
    latency: run.settings.target === 'latency' ? (run.latency ?? null) : null,
  });
}
