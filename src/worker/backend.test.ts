import { describe, expect, it } from 'vitest';
import { selectBackend, type BackendEnv, type MeasuredChoice, type Measuring } from './backend.ts';

function env(opts: { adapter?: 'hw' | 'fallback' | null; noGpu?: boolean; broken?: string[] }): BackendEnv & {
  tried: string[];
} {
  let current = 'none';
  const tried: string[] = [];
  const adapter =
    opts.adapter === 'hw'
      ? { info: { vendor: 'nvidia', architecture: 'ampere', description: '', isFallbackAdapter: false } }
      : opts.adapter === 'fallback'
        ? {
            info: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true },
          }
        : null;
  return {
    tried,
    gpu: opts.noGpu ? undefined : { requestAdapter: async () => adapter as unknown as GPUAdapter },
    async setBackend(name) {
      tried.push(name);
      if (opts.broken?.includes(name)) return false;
      current = name;
      return true;
    },
    getBackend: () => current,
  };
}

describe('selectBackend', () => {
  it('auto takes a hardware WebGPU adapter with no note', async () => {
    const c = await selectBackend('auto', env({ adapter: 'hw' }));
    expect(c).toEqual({
      backend: 'webgpu',
      adapter: { vendor: 'nvidia', architecture: 'ampere', description: '', isFallback: false },
      note: null,
    });
  });

  it('auto skips a software fallback adapter for WebGL and says so', async () => {
    const e = env({ adapter: 'fallback' });
    const c = await selectBackend('auto', e);
    expect(c.backend).toBe('webgl');
    expect(c.note).toMatch(/software fallback .*swiftshader.*WebGL/);
    expect(e.tried).toEqual(['webgl']);
  });

  it('forced webgpu runs on the fallback adapter and warns it is slow', async () => {
    const c = await selectBackend('webgpu', env({ adapter: 'fallback' }));
    expect(c.backend).toBe('webgpu');
    expect(c.adapter?.isFallback).toBe(true);
    expect(c.note).toMatch(/software adapter/);
  });

  it('no adapter (no --enable-unsafe-webgpu) falls back to WebGL, then CPU', async () => {
    expect((await selectBackend('auto', env({ adapter: null }))).note).toMatch(/no GPU adapter.*WebGL/);
    expect((await selectBackend('webgpu', env({ noGpu: true }))).note).toMatch(/no WebGPU/);
    const c = await selectBackend('auto', env({ adapter: null, broken: ['webgl'] }));
    expect(c.backend).toBe('cpu');
  });

  it('webgl and cpu are honoured as asked', async () => {
    expect((await selectBackend('cpu', env({ adapter: 'hw' }))).backend).toBe('cpu');
    const e = env({ adapter: 'hw' });
    expect((await selectBackend('webgl', e)).backend).toBe('webgl');
    expect(e.tried).toEqual(['webgl']);
  });
});

describe('auto by measuring', () => {
  function measuring(
    opts: { renderer: string | null; ms: Record<string, number>; cached?: MeasuredChoice },
    e: { getBackend(): string },
  ) {
    const kept: [string, MeasuredChoice][] = [];
    const m: Measuring = {
      webglRenderer: () => opts.renderer,
      stepMs: async () => {
        const ms = opts.ms[e.getBackend()];
        if (ms === undefined) throw new Error('cannot train');
        return ms;
      },
      cacheKey: (adapter, renderer) => `${adapter?.architecture ?? 'none'}|${renderer ?? 'none'}`,
      cached: async () => opts.cached ?? null,
      keep: async (key, choice) => void kept.push([key, choice]),
    };
    return { m, kept };
  }

  it('times every hardware backend and wasm, keeps the fastest, says what it measured and caches it', async () => {
    const e = env({ adapter: 'hw' });
    const { m, kept } = measuring(
      { renderer: 'ANGLE (NVIDIA RTX)', ms: { webgpu: 41, webgl: 90, wasm: 330 } },
      e,
    );
    const c = await selectBackend('auto', e, m);
    expect(c.backend).toBe('webgpu');
    expect(c.note).toBe('WebGPU 41 ms/step, WebGL 90 ms/step, wasm 330 ms/step: using WebGPU.');
    expect(e.tried).toEqual(['webgpu', 'webgl', 'wasm', 'webgpu']);
    expect(kept).toEqual([
      [
        'ampere|ANGLE (NVIDIA RTX)',
        {
          backend: 'webgpu',
          measured: [
            { backend: 'webgpu', stepMs: 41 },
            { backend: 'webgl', stepMs: 90 },
            { backend: 'wasm', stepMs: 330 },
          ],
        },
      ],
    ]);
  });

  it('lets wasm win over a slow GPU', async () => {
    const e = env({ adapter: 'hw' });
    const { m } = measuring({ renderer: 'ANGLE (Intel HD)', ms: { webgpu: 500, webgl: 800, wasm: 330 } }, e);
    const c = await selectBackend('auto', e, m);
    expect(c).toEqual({
      backend: 'wasm',
      adapter: null,
      note: 'WebGPU 500 ms/step, WebGL 800 ms/step, wasm 330 ms/step: using wasm.',
    });
  });

  it('without a hardware GPU trains on wasm at once: software WebGPU and WebGL are not timed', async () => {
    const e = env({ adapter: 'fallback' });
    const { m, kept } = measuring(
      { renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))', ms: { wasm: 300 } },
      e,
    );
    const c = await selectBackend('auto', e, m);
    expect(c.backend).toBe('wasm');
    expect(c.note).toBe(
      'No GPU to train on here (the WebGPU adapter is a software fallback (swiftshader); WebGL is a software renderer (SwiftShader)), so training runs on the CPU with wasm.',
    );
    expect(e.tried).toEqual(['wasm']);
    expect(kept).toEqual([]);
  });

  it('uses a cached choice without measuring again', async () => {
    const e = env({ adapter: 'hw' });
    const cached: MeasuredChoice = {
      backend: 'webgl',
      measured: [
        { backend: 'webgpu', stepMs: 60 },
        { backend: 'webgl', stepMs: 50 },
      ],
    };
    const { m } = measuring({ renderer: 'ANGLE', ms: {}, cached }, e);
    const c = await selectBackend('auto', e, m);
    expect(c.backend).toBe('webgl');
    expect(c.note).toBe('Measured earlier on this device: WebGPU 60 ms/step, WebGL 50 ms/step: using WebGL.');
    expect(e.tried).toEqual(['webgl']);
  });

  it('falls back to WebGL, then CPU, when wasm cannot start either', async () => {
    const e = env({ adapter: null, broken: ['wasm'] });
    const { m } = measuring({ renderer: 'SwiftShader', ms: {} }, e);
    const c = await selectBackend('auto', e, m);
    expect(c.backend).toBe('webgl');
    expect(c.note).toMatch(/^No faster backend could train here/);
  });

  it('wasm is honoured as asked, or falls back to WebGL', async () => {
    expect((await selectBackend('wasm', env({ adapter: 'hw' }))).backend).toBe('wasm');
    const c = await selectBackend('wasm', env({ adapter: 'hw', broken: ['wasm'] }));
    expect(c.backend).toBe('webgl');
    expect(c.note).toBe('wasm could not start in this browser, so training runs on WebGL instead.');
  });
});
