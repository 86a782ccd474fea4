// Picks the tfjs backend in the worker and says, in plain words, why when it is not a GPU.
// Pure over an injected environment so every branch is unit-tested in Node without a browser.
import type { AdapterDescription, BackendName, BackendPreference } from '../protocol/messages.ts';

/** The parts of `navigator.gpu` and tfjs this module touches. */
export interface BackendEnv {
  gpu: Pick<GPU, 'requestAdapter'> | undefined;
  /** tf.setBackend: resolves false (or throws) when the backend cannot start. */
  setBackend(name: BackendName): Promise<boolean>;
  getBackend(): string;
}

export interface BackendChoice {
  backend: BackendName;
  adapter: AdapterDescription | null;
  note: string | null;
}

export function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  // `isFallbackAdapter` moved from the adapter to its info in 2024; read either.
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const architecture = info?.architecture ?? '';
  return {
    vendor: info?.vendor ?? '',
    architecture,
    description: info?.description ?? '',
    // SwiftShader is a CPU emulation whatever the flag says (BROWSER.md).
    isFallback: info?.isFallbackAdapter === true || legacy === true || /swiftshader/i.test(architecture),
  };
}

async function tryBackend(env: BackendEnv, name: BackendName): Promise<boolean> {
  try {
    return (await env.setBackend(name)) && env.getBackend() === name;
  } catch {
    return false;
  }
}

/** WebGL, then CPU: the order the issue gives once WebGPU is out. */
async function fallback(env: BackendEnv, from: BackendName[], note: string | null): Promise<BackendChoice> {
  for (const name of from) {
    if (await tryBackend(env, name)) return { backend: name, adapter: null, note };
  }
  throw new Error('No tfjs backend could start (tried ' + from.join(', ') + ').');
}

async function requestAdapter(env: BackendEnv): Promise<GPUAdapter | null> {
  if (!env.gpu) return null;
  try {
    return await env.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    return null;
  }
}

/** What `auto` measures with: the network about to train, and where a past choice is kept. */
export interface Measuring {
  /** Median ms of a few training steps of the chosen network on the active backend. */
  stepMs(): Promise<number>;
  /** The WebGL renderer's name (WEBGL_debug_renderer_info), or null if WebGL has none. */
  webglRenderer(): string | null;
  /** The cache key of this device (its adapter and renderer) and the network's size. */
  cacheKey(adapter: AdapterDescription | null, renderer: string | null): string;
  cached(key: string): Promise<MeasuredChoice | null>;
  keep(key: string, choice: MeasuredChoice): Promise<void>;
}

export interface MeasuredChoice {
  backend: BackendName;
  /** Median ms per step of each backend measured, in the order measured. */
  measured: { backend: BackendName; stepMs: number }[];
}

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'CPU' };

/** "WebGPU 41 ms/step, wasm 330 ms/step: using WebGPU" */
export function measuredNote(choice: MeasuredChoice): string {
  const each = choice.measured.map(
    (m) => `${LABEL[m.backend]} ${Math.round(m.stepMs).toLocaleString('en-US')} ms/step`,
  );
  return `${each.join(', ')}: using ${LABEL[choice.backend]}`;
}

/** Software renderers run WebGL on the CPU, always slower than wasm on the same CPU (BROWSER.md). */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/**
 * `auto` with a way to measure: every backend that could win is timed on the network about to
 * train and the fastest kept (cached for this device and network size). A software WebGPU
 * adapter or WebGL renderer is not timed: it emulates the GPU on the CPU that wasm runs on
 * directly, and timing it would cost minutes of shader compiling for a known answer.
 */
async function selectByMeasuring(env: BackendEnv, m: Measuring): Promise<BackendChoice> {
  const skipped: string[] = [];
  const adapter = await requestAdapter(env);
  const described = adapter ? describeAdapter(adapter) : null;
  const candidates: BackendName[] = [];
  if (described && !described.isFallback) candidates.push('webgpu');
  else if (described)
    skipped.push(`the WebGPU adapter is a software fallback (${described.architecture || 'unnamed'})`);
  else skipped.push(env.gpu ? 'this browser offers no WebGPU adapter' : 'this browser has no WebGPU');
  const renderer = m.webglRenderer();
  if (renderer === null) skipped.push('WebGL is not available');
  // The renderer's full string is driver detail ("ANGLE (Google, Vulkan 1.3.0 (SwiftShader …")):
  // the page names only what it is.
  else if (SOFTWARE_RENDERER.test(renderer))
    skipped.push(`WebGL is a software renderer (${renderer.match(SOFTWARE_RENDERER)![0]})`);
  else candidates.push('webgl');
  candidates.push('wasm');
  const why = skipped.length ? ` (${skipped.join('; ')})` : '';
  const adapterOf = (b: BackendName) => (b === 'webgpu' ? described : null);

  const key = m.cacheKey(described, renderer);
  const cached = await m.cached(key).catch(() => null);
  if (cached && candidates.includes(cached.backend) && (await tryBackend(env, cached.backend))) {
    return {
      backend: cached.backend,
      adapter: adapterOf(cached.backend),
      note: `Measured earlier on this device: ${measuredNote(cached)}${why}.`,
    };
  }
  const measured: MeasuredChoice['measured'] = [];
  for (const b of candidates) {
    if (!(await tryBackend(env, b))) continue;
    if (candidates.length === 1) {
      const note =
        b === 'wasm' && skipped.length > 0
          ? `No GPU to train on here (${skipped.join('; ')}), so training runs on the CPU with wasm.`
          : `Training on ${LABEL[b]}${why}.`;
      return { backend: b, adapter: adapterOf(b), note };
    }
    try {
      measured.push({ backend: b, stepMs: await m.stepMs() });
    } catch {
      // A backend that starts but cannot train this network is not a candidate.
    }
  }
  const best = measured.reduce<MeasuredChoice['measured'][number] | null>(
    (a, x) => (a === null || x.stepMs < a.stepMs ? x : a),
    null,
  );
  if (best === null)
    return fallback(
      env,
      ['webgl', 'cpu'],
      `No faster backend could train here${why}, so training runs on the next one.`,
    );
  if (env.getBackend() !== best.backend && !(await tryBackend(env, best.backend))) {
    return fallback(
      env,
      ['webgl', 'cpu'],
      `${LABEL[best.backend]} measured fastest but would not start again.`,
    );
  }
  const choice: MeasuredChoice = { backend: best.backend, measured };
  await m.keep(key, choice).catch(() => undefined);
  return { backend: best.backend, adapter: adapterOf(best.backend), note: `${measuredNote(choice)}${why}.` };
}

/**
 * `auto` picks by measuring when it can (`measuring`); without it, it trains on WebGPU only with
 * a hardware adapter (a software one would be far slower than WebGL), and says so. `webgpu`
 * forces WebGPU even on the fallback adapter (how the e2e tests train on WebGPU on a machine
 * with no GPU); `webgl`, `wasm` and `cpu` are honoured as asked where they start.
 */
export async function selectBackend(
  pref: BackendPreference,
  env: BackendEnv,
  measuring?: Measuring,
): Promise<BackendChoice> {
  if (pref === 'cpu') return fallback(env, ['cpu'], null);
  if (pref === 'wasm') {
    return (await tryBackend(env, 'wasm'))
      ? { backend: 'wasm', adapter: null, note: null }
      : fallback(
          env,
          ['webgl', 'cpu'],
          'wasm could not start in this browser, so training runs on WebGL instead.',
        );
  }
  if (pref === 'webgl') {
    return (await tryBackend(env, 'webgl'))
      ? { backend: 'webgl', adapter: null, note: null }
      : fallback(env, ['cpu'], 'WebGL could not start in this browser, so training runs on the CPU (slow).');
  }
  if (pref === 'auto' && measuring) return selectByMeasuring(env, measuring);
  const adapter = await requestAdapter(env);
  if (!adapter) {
    const why = env.gpu ? 'This browser has WebGPU but offers no GPU adapter' : 'This browser has no WebGPU';
    return fallback(env, ['webgl', 'cpu'], `${why}, so training runs on WebGL instead.`);
  }
  const described = describeAdapter(adapter);
  if (described.isFallback && pref === 'auto') {
    return fallback(
      env,
      ['webgl', 'cpu'],
      `The only WebGPU adapter here is a software fallback (${described.architecture || 'unnamed'}), not a GPU, ` +
        'so training runs on WebGL instead.',
    );
  }
  if (await tryBackend(env, 'webgpu')) {
    const note = described.isFallback
      ? 'WebGPU was forced on a software adapter (no GPU): it works but is far slower than a real GPU.'
      : null;
    return { backend: 'webgpu', adapter: described, note };
  }
  return fallback(
    env,
    ['webgl', 'cpu'],
    'WebGPU could not start a device, so training runs on WebGL instead.',
  );
}
