// A twin run of FLOPs against latency, by keyboard (SwiftShader can stall animation frames): the
// page prices latency for the T4 (a reference chip, so nothing waits for this device's
// measurement); the twin trains a FLOPs run and a latency run of plain-cnn from the same seed to
// the same step, the latency run against the T4 at batch 1; the section names the pair chosen
// and the saved latency run keeps its device.
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio.page.ts';

// As e2e/twin.spec.ts: with strength 30 and threshold 0.5 both runs have thinned by step 10.
const STEPS = 10;
const T4 = { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 1 };

test('a twin of FLOPs against latency trains on the T4 and names both targets', async ({ page }) => {
  test.setTimeout(280_000);
  const studio = new StudioPage(page);
  // wasm: the fastest backend here; a tiny network and batch.
  await studio.goto({
    backend: 'wasm',
    dataset: 'shapes',
    net: 'plain-cnn',
    batch: 4,
    strength: 30,
    threshold: 0.5,
  });
  await studio.waitFor('the page is ready', (s) => s.ready);

  const latency = page.getByRole('radio', { name: 'Latency', exact: true });
  await latency.focus();
  await page.keyboard.press('Space');
  await page.getByLabel('Price for').selectOption('T4');

  const twin = page.getByRole('region', { name: /Twin run/ });
  await twin.getByRole('combobox', { name: 'Twin targets' }).selectOption('flops-latency');
  await expect(twin.getByRole('heading', { level: 2 })).toHaveText('Twin run: FLOPs against latency');
  const steps = twin.getByRole('spinbutton', { name: 'Twin steps' });
  await steps.fill(String(STEPS));
  await steps.press('Enter');
  await twin.getByRole('button', { name: 'Twin run', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(twin.getByRole('progressbar', { name: 'Latency run progress' })).toBeVisible();
  await expect(twin.getByRole('combobox', { name: 'Twin targets' })).toBeDisabled();

  const done = await studio.waitFor('both twin runs train', (s) => s.twin.phase === 'done');
  const t = done.twin;
  expect(t.shown).toEqual(['flops', 'latency']);
  expect([t.flops.step, t.latency.step]).toEqual([STEPS, STEPS]);
  expect(t.latency.latency).toEqual(T4);
  expect(t.flops.latency).toBeNull();
  // Both runs priced on the T4: a predicted latency, in ns, for each.
  for (const r of [t.flops, t.latency]) expect(r.latencyNs).toBeGreaterThan(0);
  expect(t.size.step).toBe(0);

  await expect(twin.getByText('priced for T4 (8,100 GFLOP/s, 300 GB/s), batch 1')).toBeVisible();
  await expect(twin.getByRole('figure', { name: /^Latency-targeted · step 10/ })).toBeVisible();
  await expect(twin.getByRole('columnheader', { name: 'Latency run' })).toBeVisible();
  await expect(twin.getByRole('status', { name: 'Twin reading' })).toContainText(
    /FLOPs run keeps \d+%, latency run \d+%\./,
  );
  // Saved: the latency run names itself and its device in the runs list.
  await expect(page.getByText(/^latency target · step 10 · .* on T4 · /)).toBeVisible();
  await twin.screenshot({ path: test.info().outputPath('twin-latency.png') });
});
