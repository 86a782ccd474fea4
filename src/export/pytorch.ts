// The PyTorch package (issue 12): the static Python sources of pytorch/morphnet_torch plus the
// network as data. spec.json is the spec; plan.json is the studio's own RegularizerPlan
// (buildPlan: groups, segments, coefficients), so a change to grouping in src/morphnet reaches
// the PyTorch engine with no second implementation. Pure: the CLI reads the sources from disk,
// the page bundles them; both hand them in.
import { networkCost } from '../morphnet/cost.ts';
import { buildPlan } from '../morphnet/plan.ts';
import { formatSpec } from '../morphnet/spec.ts';
import { structureKeys } from '../morphnet/structure.ts';
import type { LatencyOp, LatencySettings, NetworkSpec, RegularizerPlan, Segment } from '../morphnet/types.ts';

export const TORCH_PLAN_FORMAT = 'morphnet-torch-plan';
export const TORCH_PLAN_VERSION = 1;

/** The Python files of pytorch/morphnet_torch that make up the package, in the order a reader meets them. */
export const PYTORCH_SOURCES = [
  'README.md',
  'model.py',
  'morphnet.py',
  'latency.py',
  'train.py',
  'data.py',
  'runfile.py',
] as const;
export type PytorchSourceName = (typeof PYTORCH_SOURCES)[number];

/** One conv or depthwise layer of the learned-structure file: its alive count is the alive channels of `output`. */
export interface StructureEntry {
  key: string;
  layer: string;
  output: Segment[];
}

export interface TorchPlan extends RegularizerPlan {
  format: typeof TORCH_PLAN_FORMAT;
  version: typeof TORCH_PLAN_VERSION;
  /** The built-in seed this spec is, unchanged; null for any other network (the run file's `importedSpec`). */
  net: string | null;
  /** The seed this network was learned from or expanded from (the spec itself if neither). */
  seedSpec: NetworkSpec;
  /** F(seed) with every channel alive: the unit of `strength` (MORPHNET.md §5), as the studio's referenceSpec. */
  seedCost: { flops: number; params: number };
  structure: StructureEntry[];
  /**
   * A latency-targeted run's device and latency batch (issue 13), the numbers its latency was
   * priced with (the per-op `ops` above hold what they price); absent for FLOPs and size.
   */
  latency?: LatencySettings;
  /**
   * The seed's ops when the network is not the seed (a learned or expanded one): latency.py
   * prices the seed with every channel alive from them, the unit of `strength` under latency.
   */
  seedOps?: LatencyOp[];
}

/**
 * What morphnet.py needs beyond the RegularizerPlan: where each layer's alive count comes from,
 * as aliveCountsFromGroups reads it. A group member reports its group; a depthwise layer reports
 * its output segments (its width follows its input); anything else is always fully alive.
 */
function structureEntries(spec: NetworkSpec, plan: RegularizerPlan): StructureEntry[] {
  const dw = new Map(plan.terms.filter((t) => t.kind === 'depthwise').map((t) => [t.layer, t]));
  return [...structureKeys(spec)].map(([key, { layer, width }]) => {
    const term = dw.get(layer);
    const g = plan.groupOf[layer];
    const group = g === undefined ? undefined : plan.groups[g];
    const output: Segment[] =
      term !== undefined
        ? term.output
        : group !== undefined && !group.pinned
          ? [{ kind: 'group', group: group.id, size: width }]
          : [{ kind: 'static', size: width }];
    return { key, layer, output };
  });
}

export interface PackageOptions {
  /** The seed `spec` was learned or expanded from; default: `spec` itself. */
  seed?: NetworkSpec;
  /** The built-in seed's name when `spec` is that seed unchanged. */
  net?: string | null;
  /** The device and batch a latency run priced for, carried into plan.json. */
  latency?: LatencySettings | null;
}

export function torchPlan(spec: NetworkSpec, opts: PackageOptions = {}): TorchPlan {
  const plan = buildPlan(spec);
  const seedSpec = opts.seed ?? spec;
  const cost = networkCost(seedSpec);
  return {
    format: TORCH_PLAN_FORMAT,
    version: TORCH_PLAN_VERSION,
    net: opts.net ?? null,
    seedSpec,
    seedCost: { flops: cost.flops, params: cost.params },
    ...plan,
    structure: structureEntries(spec, plan),
    ...(opts.latency ? { latency: opts.latency } : {}),
    ...(JSON.stringify(seedSpec) === JSON.stringify(spec) ? {} : { seedOps: buildPlan(seedSpec).ops ?? [] }),
  };
}

/** Every file of the package by name: the sources as given (each of PYTORCH_SOURCES must be there), spec.json and plan.json. */
export function pytorchPackage(
  spec: NetworkSpec,
  sources: Readonly<Record<string, string>>,
  opts: PackageOptions = {},
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of PYTORCH_SOURCES) {
    const text = sources[name];
    if (text === undefined) throw new Error(`PyTorch package: the source ${name} is missing`);
    files[name] = text;
  }
  files['spec.json'] = formatSpec(spec);
  files['plan.json'] = `${JSON.stringify(torchPlan(spec, opts), null, 1)}\n`;
  return files;
}
