// The WebGPU programs of the training batch norm (src/engine/webgpu-batchnorm.ts) against the cpu
// backend's composed ops, forward and gradient, on the SwiftShader adapter (project `webgpu`).
// As e2e/webgpu-kernels.spec.ts: the harness is bundled here with esbuild and runs in a blank
// page on the preview server's origin.
import { expect, test } from '@playwright/test';
import { bundleForPage, openHarness } from '../scripts/harness-page.ts';
import type { BatchNormCase, BatchNormResult, Output } from './harness/webgpu-batchnorm.ts';

// Listed again: importing a value from the harness would run its page code in Node.
const OUTPUTS: Output[] = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];

interface Harness {
  start(): Promise<{ registered: boolean; adapter: string }>;
  run(c: BatchNormCase, seed: number): Promise<BatchNormResult>;
}

// Rows = N·H·W; from 512 rows the reduction splits them across workgroups (planBatchNorm).
const CASES: { name: string; c: BatchNormCase }[] = [
  { name: 'one channel, 30 rows', c: { x: [2, 3, 5, 1], offset: 0 } },
  { name: '3 channels, 105 rows', c: { x: [3, 7, 5, 3], offset: 0 } },
  { name: '16 channels, 252 rows (one split)', c: { x: [4, 9, 7, 16], offset: 0 } },
  { name: '16 channels, 1,568 rows (6 splits)', c: { x: [8, 14, 14, 16], offset: 0 } },
  { name: '37 channels (3 channel tiles), 715 rows (2 splits)', c: { x: [5, 11, 13, 37], offset: 0 } },
  {
    name: 'one channel, 25,088 rows (the stem at batch 32: 98 splits)',
    c: { x: [32, 28, 28, 1], offset: 0 },
  },
  { name: '3 channels far from zero (x ≈ 40 ± 1), 1,331 rows', c: { x: [11, 11, 11, 3], offset: 40 } },
];

test('the WebGPU batch norm equals the cpu backend on SwiftShader WebGPU', async ({ page }) => {
  test.setTimeout(240_000);
  await openHarness(
    page,
    '/__webgpu-batchnorm',
    'webgpu batch norm',
    await bundleForPage('e2e/harness/webgpu-batchnorm.ts'),
  );
  const started = await page.evaluate(() =>
    (window as unknown as { __webgpuBatchNorm: Harness }).__webgpuBatchNorm.start(),
  );
  expect(started).toEqual({ registered: true, adapter: 'swiftshader' });

  for (const [i, { name, c }] of CASES.entries()) {
    const r = await page.evaluate(
      ([c, seed]) => (window as unknown as { __webgpuBatchNorm: Harness }).__webgpuBatchNorm.run(c, seed),
      [c, 2000 + i] as const,
    );
    for (const k of OUTPUTS) {
      expect.soft(r.maxAbs[k], `${name}: max |${k}|`).toBeGreaterThan(0);
      expect.soft(r.relErr[k], `${name}: max |error| / max |${k}|`).toBeLessThanOrEqual(1e-4);
    }
    expect.soft({ forward: r.forward, backward: r.backward }, name).toEqual({ forward: 2, backward: 1 });
  }
});
