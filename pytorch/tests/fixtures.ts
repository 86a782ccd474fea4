// The studio's numbers for the PyTorch tests, computed by the studio's own code:
//   npx tsx pytorch/tests/fixtures.ts OUT_DIR
// For each network: OUT/<name>/pkg (the package `morphnet export` writes) and OUT/<name>/studio.json
// with seeded γ sets and what src/morphnet makes of them (R under both targets, alive counts,
// the structure file, per-layer cost at those counts, the pruned spec), the per-layer cost of
// the full network, and a tfjs model (cpu backend) with seeded batch-norm values: its weights and
// its logits on a fixed input, in inference and in training mode, and the latency target on two
// devices (R, its marginal costs, the cost per layer; the seed's latency through a learned
// network's package). pytorch/tests/conftest.py runs
// this once per test session into a temporary folder; nothing generated is committed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../src/engine/backend-node.ts';
import { buildModel } from '../../src/engine/model.ts';
import { createSession } from '../../src/engine/session.ts';
import type { Dataset } from '../../src/engine/types.ts';
import { makeNormal, makeRng } from '../../src/engine/rng.ts';
import { PYTORCH_SOURCES, pytorchPackage } from '../../src/export/pytorch.ts';
import { aliveCounts } from '../../src/morphnet/alive.ts';
import { networkCost } from '../../src/morphnet/cost.ts';
import { pruneSpec } from '../../src/morphnet/expand.ts';
import { networkLatency, opRegularizer, planOps, referenceHardware } from '../../src/morphnet/latency.ts';
import { buildPlan } from '../../src/morphnet/plan.ts';
import { marginalCosts, regularizerState, regularizerValue } from '../../src/morphnet/regularizer.ts';
import { seedNames, seedSpec } from '../../src/morphnet/seeds.ts';
import { validateSpec } from '../../src/morphnet/spec.ts';
import { exportStructure } from '../../src/morphnet/structure.ts';
import type { LatencySettings, NetworkSpec } from '../../src/morphnet/types.ts';

/**
 * What the seeds lack: depthwise with a multiplier, a depthwise reading a concat, an add of a
 * depthwise and a conv, odd sizes so stride 2 pads asymmetrically (9 → 5 → 3), a maxpool with
 * stride below its kernel, a bn:false conv, and two dense layers.
 */
const mixed: NetworkSpec = validateSpec(
  {
    name: 'mixed',
    input: { height: 9, width: 9, channels: 3 },
    classes: 5,
    layers: [
      { name: 'stem', type: 'conv', from: 'input', filters: 6, kernel: 3, stride: 2 },
      { name: 'dw', type: 'depthwise', from: 'stem', kernel: 3 },
      { name: 'pw', type: 'conv', from: 'dw', filters: 6, kernel: 1, relu: false },
      { name: 'add', type: 'add', from: ['stem', 'pw'] },
      { name: 'dw2', type: 'depthwise', from: 'add', kernel: 3, multiplier: 2, stride: 2 },
      { name: 'side', type: 'conv', from: 'add', filters: 4, kernel: 2, stride: 2, bn: false },
      { name: 'cat', type: 'concat', from: ['dw2', 'side'] },
      { name: 'dw3', type: 'depthwise', from: 'cat', kernel: 3 },
      { name: 'pool', type: 'maxpool', from: 'dw3', kernel: 3, stride: 2 },
      { name: 'head', type: 'conv', from: 'pool', filters: 8, kernel: 1 },
      { name: 'gap', type: 'gap', from: 'head' },
      { name: 'fc', type: 'dense', from: 'gap', units: 7 },
      { name: 'logits', type: 'dense', from: 'fc', units: 5 },
    ],
  },
  'mixed',
);

const BATCH = 4;
/** Exact in float32, so values equal to it are dead in both float32 (torch, tfjs) and float64 (src/morphnet). */
const THRESHOLD = 0.0625;

/** γ around the threshold, some negative, some on it, some exactly tied across layers (1). */
function gammaSets(spec: NetworkSpec, seed: number): Record<string, number[]> {
  const rand = makeRng(seed);
  const out: Record<string, number[]> = {};
  const plan = buildPlan(spec);
  for (const name of Object.keys(plan.groupOf)) {
    const width = plan.widths[name] as number;
    out[name] = Array.from({ length: width }, () => {
      const u = rand();
      const magnitude =
        u < 0.3 ? rand() * THRESHOLD * 0.9 : u < 0.4 ? 1 : u < 0.45 ? THRESHOLD : THRESHOLD * 1.1 + rand();
      return Math.fround(rand() < 0.2 ? -magnitude : magnitude);
    });
  }
  return out;
}

/**
 * V100 (125,000 GFLOP/s over 900 GB/s, 139 FLOPs a byte) leaves every op memory-bound at these
 * sizes. The made-up chip (4 FLOPs a byte) makes the 3×3 convs compute-bound and leaves the
 * depthwise ones memory-bound only because a depthwise filter is priced as what it holds (as a
 * conv's, W·A_in·A_out, they would be compute-bound too), at a batch of 3 and with a per-op
 * overhead (in the cost, not in R).
 */
const DEVICES: LatencySettings[] = [
  { hardware: referenceHardware('V100')!, batch: 1 },
  { hardware: { name: 'custom', peakGflops: 1000, bandwidthGbs: 250, opOverheadNs: 150 }, batch: 3 },
];

/** The latency target at one γ set on each device: what src/morphnet makes of it. */
function latencyCases(spec: NetworkSpec, gammas: Record<string, number[]>, alive: Record<string, number>) {
  const plan = buildPlan(spec);
  const groupAlive = regularizerState(plan, gammas, THRESHOLD).alive;
  return DEVICES.map((latency) => {
    const bounds = planOps(plan).map((op) => opRegularizer(op, groupAlive, latency).memoryBound);
    return {
      latency,
      regularizer: regularizerValue(spec, gammas, THRESHOLD, 'latency', latency),
      marginal: Object.fromEntries(
        Object.entries(marginalCosts(spec, gammas, THRESHOLD, 'latency', latency)).map(([k, v]) => [k, Array.from(v)]),
      ),
      cost: networkLatency(spec, alive, latency),
      seedNs: networkLatency(spec, undefined, latency).latencyNs,
      memoryBound: bounds.filter(Boolean).length,
      ops: bounds.length,
    };
  });
}

function costLayers(spec: NetworkSpec, alive?: Record<string, number>) {
  const c = networkCost(spec, alive);
  return {
    layers: c.layers.map((l) => ({ name: l.name, flops: l.flops, params: l.params })),
    flops: c.flops,
    params: c.params,
  };
}

/** The seeded He-normal weights, with batch norm and biases given values that test the formula (at their initial values batch norm is the identity). */
function seededWeights(spec: NetworkSpec, seed: number): Record<string, tf.Tensor> {
  const normal = makeNormal(makeRng(seed + 1000));
  const base = buildModel(spec, seed);
  const initial = base.exportWeights();
  base.dispose();
  for (const [key, t] of Object.entries(initial)) {
    const what = key.slice(key.lastIndexOf('/') + 1);
    if (!['gamma', 'beta', 'moving_mean', 'moving_variance', 'bias'].includes(what)) continue;
    const { size: n, shape } = t;
    const v = Float32Array.from({ length: n }, () =>
      what === 'moving_variance'
        ? 0.5 + Math.abs(normal())
        : what === 'gamma'
          ? 1 + 0.3 * normal()
          : 0.2 * normal(),
    );
    t.dispose();
    initial[key] = tf.tensor(v, shape);
  }
  return initial;
}

async function tfjsModel(spec: NetworkSpec, seed: number) {
  const initial = seededWeights(spec, seed);
  const model = buildModel(spec, seed, { initialWeights: initial });
  const rand = makeRng(seed + 2000);
  const { height, width, channels } = spec.input;
  const input = Float32Array.from({ length: BATCH * height * width * channels }, () => rand());
  const x = tf.tensor4d(input, [BATCH, height, width, channels]);
  const inference = model.apply(x, false);
  const training = model.apply(x, true);
  const weights: Record<string, { shape: number[]; values: number[] }> = {};
  for (const [key, t] of Object.entries(initial))
    weights[key] = { shape: t.shape, values: Array.from(await t.data()) };
  const result = {
    weights,
    input: { shape: [BATCH, height, width, channels], values: Array.from(input) },
    logits: { inference: Array.from(await inference.data()), training: Array.from(await training.data()) },
  };
  tf.dispose([x, inference, training, ...Object.values(initial)]);
  model.dispose();
  return result;
}

/**
 * Three steps of the studio's own training session (SGD with momentum on cross-entropy +
 * strength/F(seed)·R) from the seeded weights, on a training set exactly one batch large, so the
 * batch holds every example whatever order the sampler draws (the mean loss and batch norm do
 * not depend on it). Reports each step's task loss and R, and every weight afterwards. Towards
 * FLOPs, or towards latency on a device (the engine's own differentiable latency regularizer).
 */
async function sgdSteps(spec: NetworkSpec, seed: number, latency?: LatencySettings) {
  const initial = seededWeights(spec, seed);
  const rand = makeRng(seed + 3000);
  const { height, width, channels } = spec.input;
  const count = 8;
  const images = Uint8Array.from({ length: count * height * width * channels }, () =>
    Math.floor(rand() * 256),
  );
  const labels = Uint8Array.from({ length: count }, () => Math.floor(rand() * spec.classes));
  const split = { images, labels, count };
  const dataset: Dataset = {
    name: 'shapes',
    height,
    width,
    channels,
    classes: spec.classes,
    classNames: Array.from({ length: spec.classes }, (_, i) => String(i)),
    train: split,
    test: split,
  };
  const settings = {
    target: latency === undefined ? ('flops' as const) : ('latency' as const),
    strength: 50,
    threshold: THRESHOLD,
    lr: 0.1,
    batch: count,
    seed,
    ...(latency === undefined ? {} : { latency }),
  };
  const session = await createSession({ spec, dataset, settings, initialWeights: initial });
  const steps = [];
  for (let k = 0; k < 3; k++) {
    session.trainStep();
    const m = await session.readMetrics();
    steps.push({ taskLoss: m.taskLoss, regValue: m.regValue, trainAccuracy: m.trainAccuracy });
  }
  const after = session.exportWeights();
  const weights = await weightValues(after);
  tf.dispose([...Object.values(after), ...Object.values(initial)]);
  session.dispose();
  return { settings, images: Array.from(images), labels: Array.from(labels), steps, weights };
}

async function weightValues(ws: Record<string, tf.Tensor>) {
  const out: Record<string, { shape: number[]; values: number[] }> = {};
  for (const [key, t] of Object.entries(ws))
    out[key] = { shape: t.shape, values: Array.from(await t.data()) };
  return out;
}

async function main(out: string): Promise<void> {
  await initNodeBackend('cpu');
  const sourcesDir = fileURLToPath(new URL('../morphnet_torch/', import.meta.url));
  const sources = Object.fromEntries(
    PYTORCH_SOURCES.map((n) => [n, readFileSync(join(sourcesDir, n), 'utf8')]),
  );
  const networks: [string, NetworkSpec][] = [
    ...seedNames.map((n) => [n, seedSpec(n)] as [string, NetworkSpec]),
    ['mixed', mixed],
  ];
  for (const [name, spec] of networks) {
    const dir = join(out, name);
    mkdirSync(join(dir, 'pkg'), { recursive: true });
    const files = pytorchPackage(spec, sources, { net: name === 'mixed' ? null : name });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, 'pkg', file), text);
    const gammas = [1, 2, 3].map((s) => {
      const g = gammaSets(spec, s);
      const alive = aliveCounts(spec, g, THRESHOLD);
      const pruned = pruneSpec(spec, alive);
      return {
        gammas: g,
        threshold: THRESHOLD,
        regularizer: {
          flops: regularizerValue(spec, g, THRESHOLD, 'flops'),
          size: regularizerValue(spec, g, THRESHOLD, 'size'),
        },
        alive,
        structure: exportStructure(spec, alive),
        cost: costLayers(spec, alive),
        marginal: Object.fromEntries(
          Object.entries(marginalCosts(spec, g, THRESHOLD, 'flops')).map(([k, v]) => [k, Array.from(v)]),
        ),
        pruned: pruned === null ? null : { spec: pruned, cost: costLayers(pruned) },
        latency: latencyCases(spec, g, alive),
      };
    });
    // The studio's session on the cpu backend is slow at 28×28; the small network has every layer kind.
    // A failure here is the studio's own session failing: test_sgd.py reports it, the rest still run.
    const sgd = name === 'mixed' ? await sgdSteps(spec, 7).catch((e: unknown) => ({ error: String(e) })) : null;
    const sgdLatency =
      name === 'mixed' ? await sgdSteps(spec, 7, DEVICES[1]).catch((e: unknown) => ({ error: String(e) })) : null;
    // A learned network's package: its plan carries the seed's ops, priced for strength's unit.
    const learned = gammas[0]!.pruned;
    if (learned !== null) {
      const files = pytorchPackage(learned.spec, sources, { seed: spec, latency: DEVICES[1]! });
      writeFileSync(join(dir, 'learned-plan.json'), files['plan.json'] as string);
    }
    const studio = { spec, cost: costLayers(spec), gammas, tfjs: await tfjsModel(spec, 7), sgd, sgdLatency };
    writeFileSync(join(dir, 'studio.json'), JSON.stringify(studio));
  }
}

const out = process.argv[2];
if (out === undefined) {
  process.stderr.write('usage: npx tsx pytorch/tests/fixtures.ts OUT_DIR\n');
  process.exit(2);
}
await main(out);
