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

/**
 * `auto` trains on WebGPU only with a hardware adapter; a software (fallback) adapter would be far
 * slower than WebGL, so it is skipped, and the page says so. `webgpu` forces WebGPU even on the
 * fallback adapter (how the e2e tests train on WebGPU on a machine with no GPU).
 */
export async function selectBackend(pref: BackendPreference, env: BackendEnv): Promise<BackendChoice> {
  if (pref === 'cpu') return fallback(env, ['cpu'], null);
  if (pref === 'webgl') {
    return (await tryBackend(env, 'webgl'))
      ? { backend: 'webgl', adapter: null, note: null }
      : fallback(env, ['cpu'], 'WebGL could not start in this browser, so training runs on the CPU (slow).');
  }
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
