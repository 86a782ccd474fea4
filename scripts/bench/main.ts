// `npm run bench`: measures issue 3's speed targets and rewrites docs/BENCHMARKS.md from scratch.
// Node: resnet-mini/MNIST steps on wasm and cpu, the regularizer's and the readback's shares,
// and each replaced training kernel against what it replaced (kernels.ts).
// Browser: the built page in headless Chromium on webgpu (SwiftShader), webgl and cpu: first
// step, steps/s, the main thread's frames and long tasks, the worker's readback share.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { format, resolveConfig } from 'prettier';
import { chromiumPath, launch, runCase, type BrowserCase, type CaseResult } from './browser.ts';
import { runKernels, type KernelResult } from './kernels.ts';
import { runLatency, type LatencyResult } from './latency.ts';
import { latencySection, spliceSection, type LatencyProvenance } from './report-latency.ts';
import { runNode, type NodeResult } from './node.ts';
import { runTorch, type TorchResult } from './torch.ts';
import { loadDatasetFromDisk } from '../../src/engine/data/node.ts';
import { renderReport, type BenchRun } from './report.ts';
import { spliceWebGPUSection, webgpuSection } from './report-webgpu.ts';
import { runWebGPUKernels } from './webgpu-kernels.ts';
import { buildAndServe } from './serve.ts';

const HELP = `npm run bench [-- flags]   measure the speed targets, rewrite docs/BENCHMARKS.md

  --quick          fewer steps, no cpu step in Node, only the small browser config (~3 min)
  --node-only      only the Node part (no Chromium needed)
  --browser-only   only the browser part
  --cpu-steps N    timed cpu steps in Node (default 1; 0 skips; each takes minutes)
  --only latency   only "Latency: predicted against measured" (Node wasm and cpu, a few
                   minutes), rendered into its place in --out; the rest of the file is kept;
                   its measurements are saved to LATENCY_DATA (printed at the end)
  --latency-from F with --only latency: render the section from F (a saved run), measure nothing
  --only webgpu-kernels
                   only "WebGPU training kernels": tfjs's WebGPU filter gradient against the
                   tiled one in headless Chromium (no page build; ~6 min on SwiftShader),
                   rendered into its place in --out; the rest of the file is kept
  --step-rounds N  whole resnet-mini steps per kernel in that section (default 3; 0 skips)
  --port N         serve the built page on this port (default: a free one)
  --out FILE       where to write (default docs/BENCHMARKS.md)
  --help           this text

Chromium: /usr/bin/chromium or CHROMIUM_PATH.`;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'node-only': { type: 'boolean', default: false },
      'browser-only': { type: 'boolean', default: false },
      'cpu-steps': { type: 'string' },
      only: { type: 'string' },
      'latency-from': { type: 'string' },
      'step-rounds': { type: 'string' },
      port: { type: 'string' },
      out: { type: 'string', default: join(ROOT, 'docs', 'BENCHMARKS.md') },
      help: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min)
      throw new Error(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
    return v;
  };
  if (values['node-only'] && values['browser-only'])
    throw new Error('--node-only and --browser-only exclude each other');
  if (values.only !== undefined && values.only !== 'latency' && values.only !== 'webgpu-kernels')
    throw new Error(`--only takes latency or webgpu-kernels (the sections that render on their own), got "${values.only}"`);
  return {
    quick: values.quick,
    node: !values['browser-only'],
    browser: !values['node-only'],
    cpuSteps: int('cpu-steps', values['cpu-steps'], values.quick ? 0 : 1, 0),
    port: values.port === undefined ? null : int('port', values.port, 0, 1),
    out: values.out,
    only: values.only,
    latencyFrom: values['latency-from'],
    stepRounds: int('step-rounds', values['step-rounds'], values.quick ? 0 : 3, 0),
    help: values.help,
  };
}

/** The small config of the e2e tests, on each backend; the page's defaults where they finish. */
function browserCases(quick: boolean): BrowserCase[] {
  const small = { net: 'plain-cnn', dataset: 'shapes', batch: 4 };
  const window = quick ? 10_000 : 20_000;
  const cases: BrowserCase[] = (['webgpu', 'webgl', 'wasm', 'cpu'] as const).map((backend) => ({
    label: `plain-cnn/shapes/4 on ${backend}`,
    query: { backend, ...small },
    firstStepTimeoutMs: 90_000,
    windowMs: window,
  }));
  if (!quick) {
    for (const backend of ['webgpu', 'webgl', 'wasm', 'auto'] as const) {
      cases.push({
        label: `resnet-mini/mnist/32 on ${backend}`,
        query: { backend },
        firstStepTimeoutMs: 120_000,
        windowMs: window,
      });
    }
  }
  return cases;
}

async function main() {
  const opts = options();
  if (opts.help) {
    console.log(HELP);
    return;
  }
  const start = performance.now();
  const loadStart = os.loadavg();
  const log = (msg: string) =>
    console.log(`[${((performance.now() - start) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
  const args = process.argv.slice(2);
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const latencyRun = async (): Promise<{ result: LatencyResult; prov: LatencyProvenance }> => {
    const result = await runLatency({ backends: ['wasm', 'cpu'], batches: LATENCY_BATCHES, rounds: opts.quick ? 2 : 3, runs: opts.quick ? 3 : 5, log });
    const prov = { date: utcNow(), command, loadStart, loadEnd: os.loadavg(), cores: os.cpus().length };
    return { result, prov };
  };
  if (opts.only === 'latency') {
    let run: { result: LatencyResult; prov: LatencyProvenance };
    if (opts.latencyFrom !== undefined) run = JSON.parse(readFileSync(opts.latencyFrom, 'utf8')) as typeof run;
    else {
      run = await latencyRun();
      writeFileSync(LATENCY_DATA, JSON.stringify(run));
      log(`saved the measurements to ${LATENCY_DATA} (re-render: --only latency --latency-from ${LATENCY_DATA})`);
    }
    const { result, prov } = run;
    const doc = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : '# Benchmarks\n';
    await writeFormatted(opts.out, spliceSection(doc, latencySection(result, prov).join('\n')));
    log(`wrote the latency section into ${relative(process.cwd(), opts.out)}`);
    return;
  }
  const webgpuRun = async () => {
    const result = await runWebGPUKernels({ batch: 32, rounds: opts.quick ? 3 : 5, reps: 1, stepRounds: opts.stepRounds, log });
    return { result, prov: { date: utcNow(), command, loadStart, loadEnd: os.loadavg(), cores: os.cpus().length } };
  };
  if (opts.only === 'webgpu-kernels') {
    chromiumPath();
    const { result, prov } = await webgpuRun();
    const doc = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : '# Benchmarks\n';
    await writeFormatted(opts.out, spliceWebGPUSection(doc, webgpuSection(result, prov).join('\n')));
    log(`wrote the WebGPU kernels section into ${relative(process.cwd(), opts.out)}`);
    return;
  }
  if (opts.browser) chromiumPath(); // fail before minutes of Node work, not after
  const skipped: BenchRun['skipped'] = {};
  let node: NodeResult | null = null;
  if (opts.node) {
    node = await runNode({
      steps: opts.quick ? 4 : 10,
      cpuSteps: opts.cpuSteps,
      regPairs: opts.quick ? 4 : 8,
      log,
    });
  } else skipped.node = '`--browser-only`';
  let kernels: KernelResult | null = null;
  if (opts.node) {
    const dataset = await loadDatasetFromDisk('mnist');
    kernels = await runKernels(dataset, node!.settings, opts.quick ? 4 : 10, log);
  }
  const latency = opts.node ? await latencyRun() : null;
  const torch: TorchResult = opts.node
    ? runTorch(node!.settings.batch, opts.quick ? 4 : 10, log)
    : { skipped: '`--browser-only`' };
  let browser: BenchRun['browser'] = null;
  let webgpu: Awaited<ReturnType<typeof webgpuRun>> | null = null;
  let chromium: string | null = null;
  if (opts.browser) {
    log('browser: vite build into a temp folder, vite preview');
    const served = await buildAndServe(ROOT, opts.port);
    try {
      const { browser: b, version } = await launch();
      chromium = version;
      log(`browser: Chromium ${version} at ${served.url}`);
      const cases: CaseResult[] = [];
      try {
        for (const c of browserCases(opts.quick)) cases.push(await runCase(b, served.url, c, log));
      } finally {
        await b.close();
      }
      browser = { cases, buildMs: served.buildMs };
    } finally {
      served.close();
    }
    webgpu = await webgpuRun();
  } else skipped.browser = '`--node-only`';
  const cpus = os.cpus();
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  const run: BenchRun = {
    machine: {
      date: utcNow(),
      command,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      memory: `${gib(os.totalmem())} total, ${gib(os.freemem())} free at the end`,
      os: `${os.type()} ${os.release()} (${os.arch()})`,
      node: process.version,
      tfjs: tf.version_core,
      chromium,
      loadStart,
      loadEnd: os.loadavg(),
      durationS: (performance.now() - start) / 1000,
    },
    node,
    kernels,
    torch,
    latency: latency?.result ?? null,
    latencyProvenance: latency?.prov ?? null,
    browser,
    skipped,
  };
  const section = webgpuSection(webgpu?.result ?? null, webgpu?.prov ?? null, skipped.browser).join('\n');
  await writeFormatted(opts.out, spliceWebGPUSection(renderReport(run), section));
  log(`wrote ${relative(process.cwd(), opts.out)}`);
}

/** Latency batches per backend: the reference's default 1, and a batch that fills the device (cpu's at 4: a pass at 32 takes seconds). */
const LATENCY_BATCHES = { wasm: [1, 32], cpu: [1, 4] };

/** Where `--only latency` keeps its measurements, so the section can be re-rendered without re-measuring. */
const LATENCY_DATA = join(os.tmpdir(), 'morphnet-bench-latency.json');

const utcNow = () => new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** Formatted as `prettier --check` expects, so the generated file passes the repo's checks. */
async function writeFormatted(path: string, markdown: string): Promise<void> {
  const config = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(markdown, { ...config, parser: 'markdown' }));
}

main().catch((err: unknown) => {
  console.error(`npm run bench: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  process.exit(1);
});
