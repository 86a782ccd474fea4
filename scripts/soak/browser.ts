// The page half of `npm run soak`: the built page in headless Chromium trains through its own
// Train button while this script samples, every few seconds, the training worker's tf.memory()
// and GPU bytes (tfjs keeps its engine on the worker's global as `_tfengine`), the worker's JS
// heap and the page's (CDP Runtime.getHeapUsage), each after a forced garbage collection.
import { chromium, type Browser, type Page, type Worker } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../bench/browser.ts';
import type { Sample, SeriesInfo } from './judge.ts';
import type { SoakPart } from './report.ts';

export interface BrowserSoakOptions {
  base: string;
  steps: number;
  warmupStep: number;
  sampleMs: number;
  log: (msg: string) => void;
}

const MB20 = 20 * 2 ** 20;
export const PAGE_SERIES: SeriesInfo[] = [
  { key: 'tensors', label: 'tf.memory() tensors (worker)', unit: 'count', bound: { kind: 'no-growth' } },
  { key: 'bytes', label: 'tf.memory() bytes (worker)', unit: 'bytes', bound: { kind: 'no-growth' } },
  { key: 'gpu', label: 'GPU bytes in use', unit: 'bytes', bound: { kind: 'no-growth' } },
  { key: 'gpuAllocated', label: 'GPU bytes allocated', unit: 'bytes', bound: { kind: 'no-growth' } },
  {
    key: 'workerHeap',
    label: 'JS heap used (worker)',
    unit: 'bytes',
    bound: { kind: 'within', limit: MB20 },
  },
  { key: 'pageHeap', label: 'JS heap used (page)', unit: 'bytes', bound: { kind: 'within', limit: MB20 } },
];

const QUERY = { backend: 'webgl', net: 'plain-cnn', dataset: 'shapes', batch: '4' };

interface WorkerReading {
  tensors: number;
  bytes: number;
  gpu?: number;
  gpuAllocated?: number;
}

/** Runs inside the worker: the page's bundle keeps tfjs private, but its engine is global. */
function readWorker(): WorkerReading | null {
  const g = globalThis as unknown as {
    _tfengine?: { memory(): Record<string, number> };
  };
  if (g._tfengine === undefined) return null;
  const m = g._tfengine.memory();
  const out: WorkerReading = { tensors: m['numTensors'] ?? NaN, bytes: m['numBytes'] ?? NaN };
  // webgl names them numBytesInGPU / numBytesInGPUAllocated, webgpu numBytesAllocatedInGPU.
  const gpu = m['numBytesInGPU'];
  const allocated = m['numBytesInGPUAllocated'] ?? m['numBytesAllocatedInGPU'];
  if (gpu !== undefined) out.gpu = gpu;
  if (allocated !== undefined) out.gpuAllocated = allocated;
  return out;
}

/**
 * The worker's heap after a GC. Playwright opens no CDP session on a worker, so a browser-level
 * session attaches to its target and passes the two commands through (Target.sendMessageToTarget).
 */
async function workerHeapReader(browser: Browser): Promise<() => Promise<number>> {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'worker');
  if (target === undefined) throw new Error('the page runs no worker');
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: target.targetId,
    flatten: false,
  });
  const waiting = new Map<number, (result: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  });
  let next = 0;
  const call = (method: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(
        () => reject(new Error(`the worker did not answer ${method} in 30 s`)),
        30_000,
      );
      waiting.set(id, (r) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(r);
      });
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    });
  return async () => {
    await call('HeapProfiler.collectGarbage');
    return ((await call('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  };
}

async function trainingWorker(page: Page, timeoutMs: number): Promise<Worker> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    for (const w of page.workers()) {
      if ((await w.evaluate(readWorker).catch(() => null)) !== null) return w;
    }
    if (Date.now() > end) throw new Error(`no worker with tfjs loaded within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(500);
  }
}

export async function runBrowserSoak(opts: BrowserSoakOptions): Promise<{ part: SoakPart; version: string }> {
  const { log } = opts;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const version = browser.version();
  const samples: Sample[] = [];
  let backend = QUERY.backend;
  let error: string | null = null;
  let reached = 0;
  const evaluations: number[] = [];
  const t0 = performance.now();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const cdp = await page.context().newCDPSession(page);
    const url = `${opts.base}/?${new URLSearchParams(QUERY).toString()}`;
    await page.goto(url);
    await page.waitForFunction(
      () => window.__studio?.getState().ready && window.__studio.getState().cost !== null,
      null,
      {
        timeout: 120_000,
      },
    );
    backend = (await page.evaluate(() => window.__studio!.getState().backend)) ?? backend;
    const worker = await trainingWorker(page, 30_000);
    const workerHeap = await workerHeapReader(browser);
    const read = () =>
      page.evaluate(() => {
        const st = window.__studio!.getState();
        return { step: st.step, accuracy: st.testAccuracy };
      });
    let accuracy: number | null = null;
    const sample = async () => {
      const { step: s, accuracy: a } = await read();
      // A new test accuracy: an evaluation ran since the last sample (its batches are larger).
      if (a !== null && a !== accuracy) evaluations.push(s);
      accuracy = a;
      const w = await worker.evaluate(readWorker);
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const values: Record<string, number> = { pageHeap: heap.usedSize, workerHeap: await workerHeap() };
      for (const [k, v] of Object.entries(w ?? {})) if (typeof v === 'number') values[k] = v;
      samples.push({ step: s, t: (performance.now() - t0) / 1000, values });
      reached = s;
    };
    log(`page: ready on ${backend}; training ${opts.steps} steps`);
    await sample();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    let lastLog = 0;
    while (reached < opts.steps) {
      await page.waitForTimeout(opts.sampleMs);
      await sample();
      const shown = await page.evaluate(() => window.__studio!.getState().error);
      if (shown !== null) throw new Error(`the page reported: ${shown}`);
      if (reached - lastLog >= 100) {
        lastLog = reached;
        log(`page: step ${reached}/${opts.steps}, ${samples.at(-1)?.values['tensors']} tensors`);
      }
    }
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.waitForFunction(() => !window.__studio!.getState().running, null, { timeout: 60_000 });
    // One reading at rest, after the pause: nothing of a step can be in flight in it.
    await sample();
  } catch (err) {
    error = err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
    log(`page: stopped: ${error}`);
  } finally {
    await browser.close();
  }
  const part: SoakPart = {
    label: 'The page (headless Chromium)',
    setup: `\`/?${new URLSearchParams(QUERY).toString()}\` (plain-cnn on the generated shapes, batch 4) on ${backend}, trained with the page’s Train button`,
    steps: opts.steps,
    reached,
    warmupStep: opts.warmupStep,
    sampling: `every ${opts.sampleMs / 1000} s while training, and once after Pause`,
    series: PAGE_SERIES,
    samples,
    events: evaluations.length
      ? [`a test-set evaluation (batches of 200) reached the page by step ${evaluations.join(', ')}`]
      : [],
    durationS: (performance.now() - t0) / 1000,
    error,
  };
  return { part, version };
}
