// "Start from": a link with start=mnist builds resnet-mini from its shipped MNIST weights, whose
// |γ| are not the untrained 1s at step 0, and the first evaluation reports test accuracy of at
// least 97%; a damaged file is one plain notice and an untrained start. Keyboard only (Space
// trains and pauses): SwiftShader can stall animation frames, which mouse clicks wait on. wasm,
// a small batch and a small learning rate keep the steps short and the weights where they were.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio.page.ts';

const SMALL = { backend: 'wasm', batch: 8, lr: 0.001 };

test('starting from the trained MNIST seed: trained γ at step 0 and ≥ 97% at the first evaluation', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto({ ...SMALL, start: 'mnist' });
  const start = studio.controls.getByLabel('Start from');
  await expect(start).toHaveValue('mnist');
  await expect(start.locator('option')).toHaveText(['untrained', 'trained on MNIST', 'trained on Fashion-MNIST']);

  const s0 = await studio.state();
  expect(s0.step).toBe(0);
  expect(s0.notice).toBeNull();
  // Untrained, every γ is 1; trained, no layer's mean |γ| is (the last conv's is about 1.17).
  const means = Object.values(s0.gammaMeans);
  expect(means.length).toBe(15);
  expect(means.every((m) => m !== 1)).toBe(true);
  expect(Math.max(...means.map((m) => Math.abs(m - 1)))).toBeGreaterThan(0.1);

  // Training evaluates every 10 s or more (more when an evaluation is dear); a pause when it is cheap.
  await page.keyboard.press('Space');
  let first: number | null = null;
  await expect
    .poll(
      async () => {
        first = (await studio.state()).testAccuracy;
        return first;
      },
      { message: 'the first evaluation', timeout: 240_000 },
    )
    .not.toBeNull();
  expect(first).toBeGreaterThanOrEqual(0.97);
  await page.keyboard.press('Space');
  await studio.waitFor('paused', (s) => !s.running);
  await page.screenshot({ path: 'test-results/pretrained.png' });

  // Untrained again: the worker's own reset, γ back at 1.
  await start.selectOption('untrained');
  await studio.waitFor('an untrained seed', (s) => s.ready && s.step === 0 && Object.values(s.gammaMeans).every((m) => m === 1));
  expect(new URL(page.url()).searchParams.get('start')).toBeNull();
});

test('a damaged weights file: one plain notice, and the seed starts untrained', async ({ page }) => {
  await page.route('**/pretrained/resnet-mini-mnist.bin', async (route) => {
    const res = await route.fetch();
    const body = await res.body();
    body[body.length - 1] = body[body.length - 1]! ^ 1;
    await route.fulfill({ response: res, body });
  });
  const studio = new StudioPage(page);
  await studio.goto({ ...SMALL, start: 'mnist' });
  await expect(studio.notice).toContainText(
    'The weights of resnet-mini trained on MNIST failed their checksum, so it starts untrained.',
  );
  const s = await studio.state();
  expect(Object.values(s.gammaMeans).every((m) => m === 1)).toBe(true);
  await expect(studio.controls.getByLabel('Start from')).toHaveValue('untrained');
});
