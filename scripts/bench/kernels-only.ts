// The kernels section of `npm run bench` on its own (about a minute, no Chromium, no PyTorch):
// `npx tsx scripts/bench/kernels-only.ts [--rounds N]` prints the section's markdown and its
// reading, for checking a kernel change without the 6-10 minute full run. It writes nothing;
// docs/BENCHMARKS.md stays the full run's.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadDatasetFromDisk } from '../../src/engine/data/node.ts';
import { DEFAULTS } from '../../src/state/url.ts';
import { runKernels } from './kernels.ts';
import { kernelReadings, kernelSection } from './report-kernels.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' } } });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a positive integer, got "${values.rounds}"`);
  const start = performance.now();
  const log = (msg: string) =>
    console.error(`[${((performance.now() - start) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
  const load = os.loadavg();
  const dataset = await loadDatasetFromDisk('mnist');
  const { target, strength, threshold, lr, batch, seed } = DEFAULTS;
  const settings = { target, strength, threshold, lr, batch, seed };
  const k = await runKernels(dataset, settings, rounds, log);
  const end = os.loadavg();
  console.log(kernelSection(k).join('\n'));
  for (const r of kernelReadings(k)) console.log(`${r.ok ? 'pass' : 'FAIL'}: ${r.target}: ${r.measured}`);
  console.log(
    `load average 1 min: ${load[0]!.toFixed(2)} at the start, ${end[0]!.toFixed(2)} at the end (${os.cpus().length} cores)`,
  );
}

main().catch((err: unknown) => {
  console.error(`kernels-only: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  process.exit(1);
});
