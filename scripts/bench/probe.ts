// What `npm run bench` installs in the page before it loads (Playwright's addInitScript): a
// frame counter, a long-task observer, and a copy of every metrics event the worker sends.
export interface ProbeMetrics {
  /** performance.now() when the page received it. */
  t: number;
  step: number;
  stepMs: number;
  chunk: { steps: number; ms: number; readMs: number } | null;
}

export interface ProbeData {
  frames: number[];
  longTasks: { start: number; duration: number }[];
  metrics: ProbeMetrics[];
}

declare global {
  interface Window {
    __bench?: ProbeData;
  }
}

/**
 * Plain JavaScript in a string, not a function: tsx rewrites functions (it adds `__name` calls
 * that do not exist in the page), and Playwright would serialize the rewritten text.
 */
export const PROBE_SCRIPT = `(() => {
  const data = { frames: [], longTasks: [], metrics: [] };
  window.__bench = data;
  const frame = (t) => { data.frames.push(t); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) data.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // The page makes its worker with new Worker(...): a subclass listens beside the page.
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        const m = e.data;
        if (m && m.type === 'metrics') {
          data.metrics.push({ t: performance.now(), step: m.step, stepMs: m.stepMs, chunk: m.chunk ?? null });
        }
      });
    }
  };
})();`;
