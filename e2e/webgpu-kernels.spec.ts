// The tiled WebGPU Conv2DBackpropFilter (src/engine/webgpu-kernels.ts) against the cpu backend's
// tf.grad of conv2d, on the SwiftShader adapter (project `webgpu`). The harness is bundled here
// with esbuild, so no test code reaches the product bundle, and runs in a blank page served on
// the preview server's origin (WebGPU needs a secure context; localhost is one).
import { expect, test } from '@playwright/test';
import { bundleForPage, openHarness } from '../scripts/harness-page.ts';
import type { GradCase, GradResult } from './harness/webgpu-grads.ts';

interface Harness {
  start(): Promise<{ registered: boolean; adapter: string }>;
  run(c: GradCase, seed: number): Promise<GradResult>;
}

// Few distinct shapes: SwiftShader compiles each new program slowly (the tiled one is a single
// shader whatever the shape; the cpu reference costs nothing). Batch · outH · outW decides split-K.
const CASES: { name: string; c: GradCase; splitK: boolean }[] = [
  {
    name: '3×3 over one input channel, 7×5 images, same',
    c: { x: [2, 7, 5, 1], filter: [3, 3, 1, 5], strides: [1, 1], pad: 'same' },
    splitK: false,
  },
  {
    name: '3×3 stride 2, 3 channels, valid',
    c: { x: [3, 7, 5, 3], filter: [3, 3, 3, 6], strides: [2, 2], pad: 'valid' },
    splitK: false,
  },
  {
    name: '5×5 stride 3, 5 → 7 channels, same',
    c: { x: [2, 9, 8, 5], filter: [5, 5, 5, 7], strides: [3, 3], pad: 'same' },
    splitK: false,
  },
  {
    name: '1×1 stride 2 projection, 6 → 10, same',
    c: { x: [2, 8, 8, 6], filter: [1, 1, 6, 10], strides: [2, 2], pad: 'same' },
    splitK: false,
  },
  {
    name: '3×3 strides 2 × 1, 12 → 37 (two column tiles), valid',
    c: { x: [4, 9, 7, 12], filter: [3, 3, 12, 37], strides: [2, 1], pad: 'valid' },
    splitK: false,
  },
  {
    name: '5×5 filling the image (1×1 output), valid',
    c: { x: [2, 5, 5, 2], filter: [5, 5, 2, 3], strides: [1, 1], pad: 'valid' },
    splitK: false,
  },
  {
    name: 'resnet-mini stem at batch 32 (K = 25,088: split-K)',
    c: { x: [32, 28, 28, 1], filter: [3, 3, 1, 16], strides: [1, 1], pad: 'same' },
    splitK: true,
  },
  {
    name: '3×3 stride 2, 33 → 40, batch 16 (split-K, 10 row tiles)',
    c: { x: [16, 14, 14, 33], filter: [3, 3, 33, 40], strides: [2, 2], pad: 'same' },
    splitK: true,
  },
];

test('the tiled filter gradient equals the cpu backend on SwiftShader WebGPU', async ({ page }) => {
  test.setTimeout(240_000);
  await openHarness(
    page,
    '/__webgpu-grads',
    'webgpu grads',
    await bundleForPage('e2e/harness/webgpu-grads.ts'),
  );
  const started = await page.evaluate(() =>
    (window as unknown as { __webgpuGrads: Harness }).__webgpuGrads.start(),
  );
  expect(started).toEqual({ registered: true, adapter: 'swiftshader' });

  for (const [i, { name, c, splitK }] of CASES.entries()) {
    const r = await page.evaluate(
      ([c, seed]) => (window as unknown as { __webgpuGrads: Harness }).__webgpuGrads.run(c, seed),
      [c, 1000 + i] as const,
    );
    expect.soft(r.maxAbs, name).toBeGreaterThan(0);
    expect.soft(r.maxAbsErr / r.maxAbs, `${name}: max |error| / max |dW|`).toBeLessThanOrEqual(1e-4);
    expect
      .soft({ tiled: r.tiled, splitK: r.splitK, stock: r.stock }, name)
      .toEqual({ tiled: 1, splitK: splitK ? 1 : 0, stock: 0 });
  }

  // Explicit padding is not the tiled kernel's: tfjs's own runs, and still answers right.
  const explicit = await page.evaluate(
    (c) => (window as unknown as { __webgpuGrads: Harness }).__webgpuGrads.run(c, 7),
    { x: [2, 6, 6, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 1 } as GradCase,
  );
  expect(explicit.maxAbsErr / explicit.maxAbs).toBeLessThanOrEqual(1e-4);
  expect({ tiled: explicit.tiled, stock: explicit.stock }).toEqual({ tiled: 0, stock: 1 });
});
