// Chromium started without --enable-unsafe-webgpu: navigator.gpu exists but offers no adapter, and
// WebGL here is SwiftShader, a software renderer. 'auto' must say so in plain words and train on
// wasm (with the project's training kernels), and nothing else may break.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio.page.ts';

test('without a GPU it trains on wasm, says why, and still trains', async ({ page }) => {
  const studio = new StudioPage(page);
  // `lr=fast` is invalid on purpose: it is named on the page and the default used.
  await studio.goto({ dataset: 'shapes', net: 'plain-cnn', batch: 4, lr: 'fast' });

  const s = await studio.state();
  expect(s.backend).toBe('wasm');
  expect(s.adapter).toBeNull();
  await expect(studio.backend).toContainText('wasm');
  await expect(page.getByRole('note', { name: 'Backend note' })).toContainText(
    'No GPU to train on here (this browser offers no WebGPU adapter; WebGL is a software renderer (SwiftShader)), so training runs on the CPU with wasm.',
  );
  await expect(page.getByRole('alert', { name: 'Invalid settings' })).toContainText('"lr=fast" is not valid');
  expect(s.invalid).toEqual(['lr']);

  // Keyboard: S takes one step.
  await page.locator('body').press('s');
  await studio.waitFor('a step on wasm', (st) => st.step === 1);

  // A bad spec file shows its one-line error; the run is untouched.
  await page.getByLabel('Import a network spec JSON file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{ "name": "x", '),
  });
  await expect(page.getByRole('alert').filter({ hasText: 'broken.json' })).toContainText('not valid JSON');
  await studio.step.click();
  await studio.waitFor('training still works', (st) => st.step === 2 && st.cycle === 0);
});
