// The latency target (issue 13) in the page, by keyboard (SwiftShader can stall animation frames,
// and a mouse click waits for two): a run switched to Latency mid-training gets this device
// measured (the worker times matmuls, a large copy and tiny ops on its backend, wasm here) and
// shown in plain words, training goes on under the new target, and "Time it on this device"
// sets a real forward pass of the network at its alive widths beside the model's prediction.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio.page.ts';

test('switches to Latency mid-run, measures this device and draws predicted against measured', async ({ page }) => {
  const studio = new StudioPage(page);
  // wasm: what the page trains on here on auto; a tiny, fast run (FAST's settings on the CPU).
  await studio.goto({ backend: 'wasm', dataset: 'shapes', net: 'plain-cnn', batch: 4, strength: 10, threshold: 0.1 });
  await page.locator('body').press(' ');
  const before = await studio.waitFor('training advances', (s) => s.running && s.step >= 3);
  expect(before.target).toBe('flops');

  const latency = page.getByRole('radio', { name: 'Latency', exact: true });
  await latency.focus();
  await page.keyboard.press('Space');
  await expect(latency).toBeChecked();
  // The FLOPs and Model size radios keep their names (e2e/studio.spec.ts switches by them).
  await expect(page.getByRole('radio', { name: 'FLOPs', exact: true })).not.toBeChecked();
  await expect(page.getByRole('radio', { name: 'Model size', exact: true })).toBeVisible();

  // This device, measured and said in plain words.
  const device = page.getByRole('status', { name: 'This device' });
  await expect(device).toHaveText(
    /^this CPU \(wasm\): [\d,.]+ GFLOP\/s, [\d,.]+ GB\/s, [\d,.]+ (ns|µs) an op, measured \d+ s ago$/,
  );
  const measured = await studio.waitFor('the device is in the store', (s) => s.latency.device !== null);
  const m = measured.latency.device!;
  expect(m.backend).toBe('wasm');
  expect(m.peakGflops).toBeGreaterThan(0.1);
  expect(m.bandwidthGbs).toBeGreaterThan(0.1);
  expect(m.opOverheadNs).toBeGreaterThan(0);
  expect(measured.target).toBe('latency');
  expect(measured.error).toBeNull();
  // The engine switched live: same run, still training, steps keep counting.
  await studio.waitFor('training goes on under Latency', (s) => s.running && s.step >= measured.step + 2);
  expect((await studio.state()).cycle).toBe(0);
  // The cost panel prices the alive network on this device.
  await expect(page.getByRole('region', { name: 'Cost of the alive network' })).toContainText(
    /Latency\s*[\d.,]+ (ns|µs|ms)\s*\d+% of seed \([\d.,]+ (µs|ms)\)\s*predicted on this device, batch 1/,
  );

  // Predicted against measured: a real forward pass at the alive widths, beside the model.
  const pvm = page.getByRole('region', { name: 'Predicted against measured' });
  await pvm.getByRole('button', { name: 'Time it on this device' }).focus();
  await page.keyboard.press('Enter');
  const timed = await studio.waitFor('inference timed', (s) => s.latency.predictedVsMeasured !== null);
  const n = timed.latency.predictedVsMeasured!;
  for (const v of [n.measuredMs, n.rooflineMs, n.dispatchMs]) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(0);
  }
  // The dispatch cost only adds: one measured overhead per priced op.
  expect(n.dispatchMs).toBeGreaterThan(n.rooflineMs);
  const figure = pvm.getByRole('img');
  await expect(figure).toHaveAttribute(
    'aria-label',
    /^Measured on this device: [\d.,]+ (µs|ms|s); Predicted: roofline: [\d.,]+ (ns|µs|ms); Predicted: roofline \+ [\d.,]+ µs an op: [\d.,]+ (µs|ms|s)$/,
  );
  await expect(pvm).toContainText(/plain-cnn at step \d+ \(alive widths\), batch 1, median of \d+ passes on this CPU \(wasm\), the fastest [\d.,]+ (µs|ms|s)\./);
  await expect(pvm).toContainText(/Measured is [\d.,]+× the roofline's prediction/);

  // docs/latency.png is this, copied by hand.
  await page.locator('.layout').screenshot({ path: test.info().outputPath('latency.png') });

  // The new controls and the figure pass axe as e2e/a11y.spec.ts holds the page to, custom numbers shown too.
  await page.getByLabel('Price for').selectOption('custom');
  await expect(page.getByLabel('Peak compute (GFLOP/s)')).toHaveValue('8100');
  const axe = await new AxeBuilder({ page })
    .include('.latency-controls')
    .include('.latency-pvm')
    .options({ rules: { 'target-size': { enabled: true } } })
    .analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
  // A number that cannot price a device: one line, and the target keeps the last valid numbers.
  const peak = page.getByLabel('Peak compute (GFLOP/s)');
  await peak.fill('-5');
  await peak.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Peak compute' })).toHaveText(
    'Peak compute must be a positive number, got "-5". The target keeps the last valid numbers.',
  );
  await peak.press('Escape');
  await page.getByLabel('Price for').selectOption('device');


  // Expansion under Latency: the budget is the seed's predicted latency on this device, in ns.
  await page.locator('body').press('e');
  await expect(studio.dialog).toBeVisible();
  await expect(studio.dialog.getByLabel('Budget ζ (ns of predicted latency)')).toHaveValue(/^\d+$/);
  await expect(studio.dialog).toContainText(/Latency\s*[\d.,]+ (ns|µs|ms) → [\d.,]+ (ns|µs|ms)/);
  const expanded = await studio.waitFor('the expansion previewed', (s) => s.expansion !== null);
  const x = expanded.expansion!;
  // ω ≥ 1 (every learned width at least kept), its predicted latency within the budget.
  expect(x.omega).toBeGreaterThanOrEqual(1);
  expect(x.cost.latencyNs).toBeGreaterThan(0);
  expect(x.cost.latencyNs!).toBeLessThanOrEqual(x.budget);
  expect(expanded.error).toBeNull();
  await studio.dialog.screenshot({ path: test.info().outputPath('expand.png') });
});
