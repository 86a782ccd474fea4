// "Latency: predicted against measured" (issue 13): for the uniform family of resnet-mini and the
// MorphNet structures of the shipped sweeps, on every tfjs backend Node has, the device measured
// (measureDevice), real inference timed (timeInference) and the latency model's prediction for
// that measured device (networkLatency): the pure roofline, and the roofline plus the measured
// per-op dispatch cost. The report ranks both against the measurements (report-latency.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { initNodeBackend } from '../../src/engine/backend-node.ts';
import { measureDevice, type DeviceMeasurement } from '../../src/engine/device-probe.ts';
import { specAtAlive, timeInference } from '../../src/engine/inference-time.ts';
import { uniformSpec } from '../../src/morphnet/baselines.ts';
import { networkCost } from '../../src/morphnet/cost.ts';
import { networkLatency } from '../../src/morphnet/latency.ts';
import { seedSpec } from '../../src/morphnet/seeds.ts';
import type { SweepFile } from '../../src/morphnet/sweep.ts';
import type { AliveCounts, Hardware, NetworkSpec } from '../../src/morphnet/types.ts';

/** The uniform family the issue names: resnet-mini's widths × each. */
export const LATENCY_MULTIPLIERS = [0.25, 0.5, 0.75, 1, 1.5];

export interface LatencyPoint {
  label: string;
  family: 'uniform' | 'morphnet';
  /** FLOPs of one image (MORPHNET.md §2), the cost the studio ranked by before latency. */
  flops: number;
}

export interface LatencyRow {
  /** Index into LatencyResult.points. */
  point: number;
  /** networkLatency on the measured device: the pure roofline, and with opOverheadNs per op. */
  rooflineNs: number;
  overheadNs: number;
  /** The fastest of the rounds' medians (ms): on a shared machine noise only ever adds time. */
  measuredMs: number;
  /** Every round's median, in round order. */
  roundMs: number[];
}

export interface LatencyBackend {
  backend: string;
  device: DeviceMeasurement;
  /** Per latency batch, one row per point. */
  batches: { batch: number; rows: LatencyRow[] }[];
}

export interface LatencyResult {
  points: LatencyPoint[];
  backends: LatencyBackend[];
  /** Rounds over every network, and forward passes timed per network and round (after 1 warm-up). */
  rounds: number;
  runs: number;
  durationS: number;
}

export interface LatencyOptions {
  backends: readonly ('wasm' | 'cpu')[];
  /** Latency batches per backend: a cpu forward pass at batch 32 takes seconds. */
  batches: Record<'wasm' | 'cpu', number[]>;
  rounds: number;
  runs: number;
  log: (msg: string) => void;
  /** The sweep files whose MorphNet points are measured (default public/sweeps/*.json). */
  sweepDir?: string;
}

interface Network extends LatencyPoint {
  /** What runs: the spec at its alive widths, dead blocks removed. */
  spec: NetworkSpec;
}

/**
 * resnet-mini ×each multiplier, then per shipped sweep its MorphNet points twice: the learned
 * structure (the seed at the alive counts, as trained) and the network scored (the expansion).
 */
export function latencyNetworks(sweepDir: string): Network[] {
  const out: Network[] = [];
  const add = (label: string, family: Network['family'], spec: NetworkSpec, alive?: AliveCounts) => {
    const net = specAtAlive(spec, alive);
    out.push({ label, family, spec: net, flops: networkCost(net).flops });
  };
  const seed = seedSpec('resnet-mini');
  for (const m of LATENCY_MULTIPLIERS) add(`uniform ×${m}`, 'uniform', uniformSpec(seed, m));
  const files = readdirSync(sweepDir).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) {
    const sweep = JSON.parse(readFileSync(join(sweepDir, f), 'utf8')) as SweepFile;
    const name = `${sweep.settings.spec}/${sweep.settings.dataset}`;
    const learned = new Set<string>();
    for (const p of sweep.points) {
      if (p.family !== 'morphnet' || p.settings.family !== 'morphnet') continue;
      const key = `strength ${p.settings.strength}`;
      if (!learned.has(key)) {
        learned.add(key);
        add(`${name} ${key}, learned`, 'morphnet', sweep.seed.spec, p.alive);
      }
      add(`${name} ${p.label}`, 'morphnet', p.spec);
    }
    if (learned.size === 0) throw new Error(`${basename(f)} holds no MorphNet point`);
  }
  return out;
}

export async function runLatency(opts: LatencyOptions): Promise<LatencyResult> {
  const start = performance.now();
  const nets = latencyNetworks(opts.sweepDir ?? join(import.meta.dirname, '..', '..', 'public', 'sweeps'));
  const backends: LatencyBackend[] = [];
  for (const name of opts.backends) {
    const backend = await initNodeBackend(name);
    const device = await measureDevice();
    opts.log(
      `latency: ${backend}: ${device.peakGflops.toFixed(1)} GFLOP/s, ${device.bandwidthGbs.toFixed(1)} GB/s, ` +
        `${(device.opOverheadNs / 1000).toFixed(1)} µs an op`,
    );
    const roofline: Hardware = { name: `${backend} (measured)`, peakGflops: device.peakGflops, bandwidthGbs: device.bandwidthGbs };
    const withOverhead: Hardware = { ...roofline, opOverheadNs: device.opOverheadNs };
    const batches: LatencyBackend['batches'] = [];
    for (const batch of opts.batches[name]) {
      // Round after round over every network, so a burst of load from elsewhere lands on one
      // round of a few networks rather than on all the samples of one.
      const roundMs = nets.map((): number[] => []);
      for (let r = 0; r < opts.rounds; r++) {
        for (const [i, net] of nets.entries()) {
          roundMs[i]!.push((await timeInference(net.spec, undefined, batch, { runs: opts.runs, warmup: 1 })).medianMs);
        }
      }
      const rows = nets.map((net, i): LatencyRow => ({
        point: i,
        rooflineNs: networkLatency(net.spec, undefined, { hardware: roofline, batch }).latencyNs,
        overheadNs: networkLatency(net.spec, undefined, { hardware: withOverhead, batch }).latencyNs,
        measuredMs: Math.min(...roundMs[i]!),
        roundMs: roundMs[i]!,
      }));
      opts.log(`latency: ${backend}, batch ${batch}: ${nets.length} networks timed`);
      batches.push({ batch, rows });
    }
    backends.push({ backend, device, batches });
  }
  return {
    points: nets.map(({ label, family, flops }) => ({ label, family, flops })),
    backends,
    rounds: opts.rounds,
    runs: opts.runs,
    durationS: (performance.now() - start) / 1000,
  };
}
