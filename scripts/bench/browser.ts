// The browser half of `npm run bench`: headless Chromium drives the built page through its test
// API (window.__studio, src/ui/testApi.ts) while probe.ts counts frames and long tasks on the
// main thread and copies the worker's metrics events (their step and readback timings).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AdapterDescription } from '../../src/protocol/messages.ts';
import { CHROMIUM_FLAGS } from '../chromium-flags.ts';
import { PROBE_SCRIPT, type ProbeData, type ProbeMetrics } from './probe.ts';
import { median, sum } from './stats.ts';

/** The project's Chromium flags, with WebGPU on (the page picks its backend from the URL). */
export const CHROMIUM_ARGS = [...CHROMIUM_FLAGS, '--enable-unsafe-webgpu'];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `no Chromium at ${path}: apt-get install -y chromium, or set CHROMIUM_PATH (or run --node-only)`,
    );
  }
  return path;
}

export interface BrowserCase {
  label: string;
  query: Record<string, string | number>;
  /** Give up on the first step after this long (SwiftShader compiles shaders for up to 40 s). */
  firstStepTimeoutMs: number;
  /** Steady-state window; stretched up to 3× to see at least two readbacks. */
  windowMs: number;
}

export interface SteadyWindow {
  ms: number;
  steps: number;
  stepsPerSec: number;
  /** The worker's own median step time (its speed readout) at the window's end. */
  workerStepMs: number;
  /** Steps per readback, per chunk in the window. */
  readEvery: number[];
  readMs: number[];
  chunkMs: number[];
  frames: number;
  fps: number;
  longTasks: number[];
  /** Of those, how many began from 50 ms before to 250 ms after a metrics event reached the page. */
  longTasksNearReadback: number;
}

export interface CaseResult {
  label: string;
  url: string;
  backend: string | null;
  adapter: AdapterDescription | null;
  loadMs: number;
  firstStepMs: number | null;
  window: SteadyWindow | null;
  /** Long tasks from the Train click to the window's start (the first step). */
  firstStepLongTasks: number[];
  error: string | null;
}

export async function launch(): Promise<{ browser: Browser; version: string }> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  return { browser, version: browser.version() };
}

const now = (page: Page) => page.evaluate(() => performance.now());
const probe = (page: Page) => page.evaluate(() => (window as unknown as { __bench: ProbeData }).__bench);

function measureWindow(data: ProbeData, start: number, end: number): SteadyWindow {
  const before = data.metrics.filter((m) => m.chunk && m.t <= start).at(-1);
  const inside = data.metrics.filter(
    (m): m is ProbeMetrics & { chunk: NonNullable<ProbeMetrics['chunk']> } =>
      m.chunk !== null && m.t > start && m.t <= end,
  );
  const first = before ?? inside[0];
  const last = inside.at(-1);
  const counted = before ? inside : inside.slice(1);
  const steps = first && last ? last.step - first.step : 0;
  const span = first && last ? last.t - first.t : 0;
  const frames = data.frames.filter((t) => t >= start && t <= end).length;
  const windowTasks = data.longTasks.filter((l) => l.start >= start && l.start <= end);
  return {
    ms: end - start,
    steps,
    stepsPerSec: span > 0 ? (1000 * steps) / span : NaN,
    workerStepMs: last?.stepMs ?? NaN,
    readEvery: counted.map((m) => m.chunk.steps),
    readMs: counted.map((m) => m.chunk.readMs),
    chunkMs: counted.map((m) => m.chunk.ms),
    frames,
    fps: (1000 * frames) / (end - start),
    longTasks: windowTasks.map((l) => l.duration),
    // The page renders each readback (histograms, diagram): a long task beside one is likely that.
    longTasksNearReadback: windowTasks.filter((l) =>
      data.metrics.some((m) => l.start >= m.t - 50 && l.start <= m.t + 250),
    ).length,
  };
}

export async function runCase(
  browser: Browser,
  base: string,
  c: BrowserCase,
  log: (m: string) => void,
): Promise<CaseResult> {
  const query = new URLSearchParams(Object.entries(c.query).map(([k, v]) => [k, String(v)])).toString();
  const url = `${base}/?${query}`;
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const result: CaseResult = {
    label: c.label,
    url: `/?${query}`,
    backend: null,
    adapter: null,
    loadMs: NaN,
    firstStepMs: null,
    window: null,
    firstStepLongTasks: [],
    error: null,
  };
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: PROBE_SCRIPT });
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(
      () => window.__studio?.getState().ready && window.__studio.getState().cost !== null,
      null,
      {
        timeout: 120_000,
      },
    );
    result.loadMs = Date.now() - t0;
    const state = await page.evaluate(() => window.__studio!.getState());
    Object.assign(result, { backend: state.backend, adapter: state.adapter });
    log(`browser: ${c.label}: ready on ${state.backend} in ${(result.loadMs / 1000).toFixed(1)} s; training`);
    const click = await now(page);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    try {
      await page.waitForFunction(
        () => window.__bench!.metrics.some((m) => m.chunk !== null && m.step >= 1),
        null,
        {
          timeout: c.firstStepTimeoutMs,
          polling: 250,
        },
      );
    } catch {
      result.error = `no training step within ${c.firstStepTimeoutMs / 1000} s`;
      log(`browser: ${c.label}: ${result.error}`);
      return result;
    }
    const firstEvent = (await probe(page)).metrics.find((m) => m.chunk !== null && m.step >= 1)!;
    result.firstStepMs = firstEvent.t - click;
    log(
      `browser: ${c.label}: first step after ${(result.firstStepMs / 1000).toFixed(1)} s; steady window ${c.windowMs / 1000} s`,
    );
    const start = await now(page);
    await page.waitForTimeout(c.windowMs);
    // Slow steps: stretch the window until two readbacks fall inside it (or 3× the window).
    for (let k = 0; k < (2 * c.windowMs) / 1000; k++) {
      const seen = (await probe(page)).metrics.filter((m) => m.chunk && m.t > start).length;
      if (seen >= 2) break;
      await page.waitForTimeout(1000);
    }
    const end = await now(page);
    const data = await probe(page);
    result.window = measureWindow(data, start, end);
    result.firstStepLongTasks = data.longTasks
      .filter((l) => l.start >= click && l.start < start)
      .map((l) => l.duration);
    const w = result.window;
    log(
      `browser: ${c.label}: ${w.stepsPerSec.toFixed(2)} steps/s, ${w.fps.toFixed(0)} frames/s, ` +
        `${w.longTasks.length} long tasks (longest ${Math.max(0, ...w.longTasks).toFixed(0)} ms), ` +
        `readback ${median(w.readMs).toFixed(1)} ms of ${median(w.chunkMs).toFixed(0)} ms chunks`,
    );
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
  } catch (err) {
    result.error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    log(`browser: ${c.label}: ${result.error}`);
  } finally {
    await context.close();
  }
  return result;
}

/** Sum of readback time over sum of chunk time: the share of training time spent reading. */
export function readShare(w: SteadyWindow): number {
  return sum(w.readMs) / sum(w.chunkMs);
}
