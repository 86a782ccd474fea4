// A person's whole session on WebGPU, in one long test: SwiftShader's first step compiles shaders
// for up to 40 s, so the test pays that once and then follows the page through a full cycle.
// The URL keeps it quick (shapes dataset, batch 4); the page's defaults stay for people.
import { expect, test } from '@playwright/test';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

const total = (alive: Record<string, number>) => Object.values(alive).reduce((a, b) => a + b, 0);

test('trains on WebGPU in the worker, switches target mid-run, expands and retrains', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto(FAST);

  // WebGPU, forced on SwiftShader: the adapter is reported and the badge says so.
  const start = await studio.state();
  expect(start.backend).toBe('webgpu');
  expect(start.adapter).toMatchObject({ architecture: 'swiftshader', isFallback: true });
  await expect(studio.backend).toContainText('webgpu');
  await expect(studio.backend).toContainText('swiftshader');
  expect(start.step).toBe(0);
  expect(start.seedCost!.flops).toBeGreaterThan(0);
  const histogramsBefore = await studio.histograms.innerHTML();

  // One step (this one compiles the shaders), then continuous training.
  const structureBefore = await studio.structure.innerHTML();
  await studio.step.click();
  await studio.waitFor('one step taken', (s) => s.step === 1);
  await studio.train.click();
  await expect(studio.pause).toBeVisible();
  const early = await studio.waitFor('training advances', (s) => s.running && s.step >= 3);
  expect(early.gammaMeans).not.toEqual(start.gammaMeans);
  await expect
    .poll(() => studio.histograms.innerHTML(), { message: 'the histograms move' })
    .not.toBe(histogramsBefore);

  // Switching the target keeps the run: same cycle, steps keep counting, still training.
  await studio.target('Model size').check();
  const switched = await studio.waitFor('target switched', (s) => s.target === 'size');
  await studio.waitFor(
    'training continues after the switch',
    (s) => s.running && s.step >= switched.step + 2,
  );
  expect((await studio.state()).cycle).toBe(0);

  // Channels die as |γ| falls under the threshold, and the diagram shows it.
  const shrunk = await studio.waitFor('some channels died', (s) => total(s.alive) < total(start.alive));
  expect(shrunk.cost!.params).toBeLessThan(shrunk.seedCost!.params);
  expect(await studio.structure.innerHTML()).not.toBe(structureBefore);
  await studio.pause.click();
  await expect(studio.train).toBeVisible();

  // The threshold dragged on a histogram, down to the left end: every channel is alive again.
  const area = page.locator('.viz-drag-area').first();
  const box = (await area.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 1, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await studio.waitFor('threshold dragged low', (s) => s.threshold < 1e-3);
  await studio.waitFor('all alive at a tiny threshold', (s) => total(s.alive) === total(start.alive));
  // And back up with the keyboard on the sidebar's slider: the learned structure returns.
  await studio.controls.getByRole('slider', { name: /Threshold/ }).press('End');
  await studio.waitFor(
    'threshold near its top, channels dead again',
    (s) => s.threshold > 0.4 && total(s.alive) < total(start.alive),
  );

  // Expand to the seed's size and retrain: cycle 1, at widths whose size fits the budget.
  await page.keyboard.press('e');
  await expect(studio.dialog).toBeVisible();
  const preview = await studio.waitFor('expansion computed', (s) => s.expansion !== null);
  expect(preview.budget).toBe(preview.seedCost!.params);
  expect(preview.expansion!.omega).toBeGreaterThan(1);
  await expect(studio.dialog.getByTestId('omega')).toHaveText(preview.expansion!.omega.toFixed(3));
  await studio.dialog.getByRole('button', { name: 'Retrain' }).click();
  const retrained = await studio.waitFor('cycle 1 is training', (s) => s.cycle === 1 && s.step >= 1);
  expect(retrained.widths).toEqual(
    Object.fromEntries(Object.entries(preview.expansion!.widths).filter(([, w]) => w > 0)),
  );
  expect(preview.expansion!.cost.params).toBeLessThanOrEqual(preview.budget!);
  await expect(page.getByRole('navigation', { name: 'Cycle' })).toContainText('Expanded ×1');
});
