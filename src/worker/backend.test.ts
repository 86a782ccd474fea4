import { describe, expect, it } from 'vitest';
import { selectBackend, type BackendEnv } from './backend.ts';

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
