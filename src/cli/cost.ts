// `morphnet cost`: FLOPs and parameters per layer and in total (MORPHNET.md §2); with a device
// (`--hardware`, or `--peak-gflops` with `--bandwidth-gbs`), the predicted latency too (issue 13).
import { networkCost } from '../morphnet/cost.ts';
import { networkLatency } from '../morphnet/latency.ts';
import type { LatencySettings, NetworkSpec } from '../morphnet/types.ts';
import { parseCommandArgs, parseTarget, required } from './args.ts';
import { percent, sanitize, table, thousands } from './format.ts';
import { loadAlive, loadSpec } from './io.ts';
import { describeLatency, duration, LATENCY_OPTIONS, parseLatency } from './latency-flags.ts';

export async function runCost(argv: string[]): Promise<number> {
  const values = parseCommandArgs('cost', argv, {
    spec: { type: 'string' },
    alive: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
    ...LATENCY_OPTIONS,
  });
  const target = values.target === undefined ? undefined : parseTarget('cost', values.target);
  const latency = parseLatency('cost', values, target);
  const spec = loadSpec(required('cost', 'spec', values.spec));
  const alive = values.alive === undefined ? undefined : loadAlive(values.alive, spec);
  const source = values.alive === undefined ? 'every channel alive' : `alive counts from ${values.alive}`;
  if (latency !== undefined) return printLatency(spec, alive, latency, source, values.json === true);
  const cost = networkCost(spec, alive);
  if (values.json === true) {
    const layers = cost.layers.map((l) => ({ name: l.name, flops: l.flops, params: l.params }));
    process.stdout.write(`${JSON.stringify({ layers, flops: cost.flops, params: cost.params })}\n`);
    return 0;
  }
  const types = new Map(spec.layers.map((l) => [l.name, l.type]));
  const rows = cost.layers.map((l) => [
    sanitize(l.name),
    types.get(l.name) ?? '',
    thousands(l.flops),
    percent(l.flops, cost.flops),
    thousands(l.params),
    percent(l.params, cost.params),
  ]);
  rows.push(['total', '', thousands(cost.flops), '100%', thousands(cost.params), '100%']);
  process.stdout.write(
    `${sanitize(`${spec.name} (${source})`)}\n${table(['layer', 'type', 'FLOPs', '', 'params', ''], rows)}\n`,
  );
  return 0;
}

/**
 * Per spec layer that holds priced ops (a conv with its batch norm and ReLU, an add with its
 * ReLU, a concat, a dense): FLOPs and params as without a device (0 for an add or a concat), and
 * the latency in ns, the reference's units (FLOPs ÷ GFLOP/s and bytes ÷ GB/s).
 */
function printLatency(
  spec: NetworkSpec,
  alive: Parameters<typeof networkCost>[1],
  latency: LatencySettings,
  source: string,
  json: boolean,
): number {
  const cost = networkCost(spec, alive);
  const lat = networkLatency(spec, alive, latency);
  const byName = new Map(cost.layers.map((l) => [l.name, l]));
  const layers = lat.layers.map((l) => ({
    name: l.name,
    flops: byName.get(l.name)?.flops ?? 0,
    params: byName.get(l.name)?.params ?? 0,
    latencyNs: l.latencyNs,
  }));
  if (json) {
    const { hardware, batch } = latency;
    const device = { name: hardware.name, peakGflops: hardware.peakGflops, bandwidthGbs: hardware.bandwidthGbs };
    const out = { hardware: device, latencyBatch: batch, layers, flops: cost.flops, params: cost.params, latencyNs: lat.latencyNs };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const types = new Map(spec.layers.map((l) => [l.name, l.type]));
  // Compute and memory are each the sum over the layer's ops; the latency sums each op's larger.
  const rows = lat.layers.map((l) => [
    sanitize(l.name),
    types.get(l.name) ?? '',
    thousands(l.flops),
    thousands(l.bytes),
    duration(l.computeNs),
    duration(l.memoryNs),
    duration(l.latencyNs),
    percent(l.latencyNs, lat.latencyNs),
  ]);
  const sum = (f: (l: (typeof lat.layers)[number]) => number) => lat.layers.reduce((s, l) => s + f(l), 0);
  rows.push([
    'total',
    '',
    thousands(sum((l) => l.flops)),
    thousands(sum((l) => l.bytes)),
    duration(sum((l) => l.computeNs)),
    duration(sum((l) => l.memoryNs)),
    duration(lat.latencyNs),
    '100%',
  ]);
  process.stdout.write(
    `${sanitize(`${spec.name} (${source}) on ${describeLatency(latency)}`)}\n` +
      `${table(['layer', 'type', 'FLOPs', 'bytes', 'compute', 'memory', 'latency', ''], rows)}\n`,
  );
  return 0;
}
