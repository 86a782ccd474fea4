// The trade-off chart's "measured latency" axis, by keyboard (SwiftShader can stall animation
// frames): every network of an imported sweep is timed on this device in a worker of its own, the
// points move onto the measured axis, and a point's detail puts the measured time beside the
// prediction for the chip the page prices for.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { StudioPage } from './studio.page.ts';

const FIXTURE = new URL('./fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url);

test('times each network of the sweep on this device and draws accuracy against it', async ({ page }) => {
  test.setTimeout(280_000);
  const studio = new StudioPage(page);
  await studio.goto({ backend: 'wasm', dataset: 'shapes', net: 'plain-cnn', batch: 4 });
  await studio.waitFor('the page is ready', (s) => s.ready);
  // Price for the T4, so the detail has a prediction to show beside the measurement.
  const latency = page.getByRole('radio', { name: 'Latency', exact: true });
  await latency.focus();
  await page.keyboard.press('Space');
  await page.getByLabel('Price for').selectOption('T4');

  const root = page.getByRole('region', { name: /^Trade-off/ });
  await root.getByLabel('Import sweep file', { exact: true }).setInputFiles({
    name: 'plain-cnn-shapes.json',
    mimeType: 'application/json',
    buffer: readFileSync(FIXTURE),
  });
  const chart = root.getByRole('figure');
  await expect(chart.getByRole('button')).toHaveCount(10);

  const axis = root.getByRole('radio', { name: 'x axis: measured latency' });
  await axis.focus();
  await page.keyboard.press('Space');
  await expect(axis).toBeChecked();
  const note = root.getByRole('status', { name: 'Measured latency' });
  // The seed and the points' distinct networks, each timed once on wasm at batch 1.
  await expect(note).toHaveText(/^(\d+) of \1 networks timed on this device \(wasm\), 1 image a pass/, {
    timeout: 240_000,
  });
  await expect(chart).toContainText('measured latency on this device, ms per pass (log scale)');
  await expect(chart.getByRole('button')).toHaveCount(10);
  for (const label of await chart
    .getByRole('button')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))))
    expect(label).toMatch(/, [\d.]+ ms measured$/);

  const point = chart.getByRole('button', { name: /^uniform width multiplier ×0\.5:/ });
  await point.focus();
  await page.keyboard.press('Enter');
  const detail = root.getByRole('region', { name: 'Selected point' });
  await expect(detail.getByTestId('tradeoff-point-latency')).toHaveText(
    /^[\d.,]+ (µs|ms) measured here · [\d.,]+ (ns|µs|ms) predicted on T4$/,
  );
  await root.screenshot({ path: test.info().outputPath('tradeoff-latency.png') });
});
