// Chromium started without --enable-unsafe-webgpu: navigator.gpu exists but offers no adapter.
// The page must say so in plain words and train on WebGL instead, and nothing else may break.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio.page.ts';

test('without WebGPU it falls back to WebGL, says so, and still trains', async ({ page }) => {
  const studio = new StudioPage(page);
  // `lr=fast` is invalid on purpose: it is named on the page and the default used.
  await studio.goto({ dataset: 'shapes', net: 'plain-cnn', batch: 4, lr: 'fast' });

  const s = await studio.state();
  expect(s.backend).toBe('webgl');
  expect(s.adapter).toBeNull();
  await expect(studio.backend).toContainText('webgl');
  await expect(page.getByRole('note', { name: 'Backend note' })).toContainText(/WebGPU.*WebGL/);
  await expect(page.getByRole('alert', { name: 'Invalid settings' })).toContainText('"lr=fast" is not valid');
  expect(s.invalid).toEqual(['lr']);

  // Keyboard: S takes one step.
  await page.locator('body').press('s');
  await studio.waitFor('a step on WebGL', (st) => st.step === 1);

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
