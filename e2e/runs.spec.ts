// Saved runs in the built page on WebGPU (SwiftShader): a run is saved as it trains and survives
// a reload; its JSON export, deleted and imported again, is the same run; a bad file is named in
// one line and changes nothing; the current run's exports download; a classroom link hides the
// controls picked for it.
import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ d: Download; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const text = await readFile((await d.path())!, 'utf8');
  return { d, text };
}

test('runs are saved as they train, survive a reload, and round-trip through export and import', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.goto(FAST);
  const panel = studio.controls.getByRole('region', { name: 'Runs' });
  expect((await studio.state()).runs).toEqual([]);

  // Train a few steps (the first compiles the shaders), then pause: the run is saved at once.
  await studio.step.click();
  await studio.waitFor('one step taken', (s) => s.step === 1);
  await studio.train.click();
  await studio.waitFor('training advances', (s) => s.step >= 3);
  const trained = await studio.pauseAndSettle(
    'the paused run is saved with its step',
    (s) => s.runs.length === 1 && s.runs[0]!.step === s.step,
  );
  await expect(studio.train).toBeVisible();
  const run = trained.runs[0]!;
  expect(run).toMatchObject({ target: 'flops', seed: 1, cycle: 0, alive: trained.alive, cost: trained.cost });
  await expect(panel.getByRole('listitem')).toHaveCount(1);
  await expect(panel.getByRole('listitem')).toContainText(`step ${run.step}`);

  // A reload keeps it (the new page's own run is not saved until it trains).
  await page.reload();
  await studio.waitFor('the page is back with its saved run', (s) => s.ready && s.runs.length === 1);
  // (Its test accuracy may have been measured on pause after `run` was read.)
  const reloaded = (await studio.state()).runs[0]!;
  expect({ ...reloaded, testAccuracy: null }).toEqual({ ...run, testAccuracy: null });

  // Export → delete → import gives the same run.
  const exported = await downloaded(page, () =>
    panel.getByRole('button', { name: `Export ${run.name} as JSON` }).click(),
  );
  expect(exported.d.suggestedFilename()).toMatch(/\.morphnet-run\.json$/);
  const record = JSON.parse(exported.text) as { format: string; version: number; id: string; step: number };
  expect(record).toMatchObject({ format: 'morphnet-run', version: 1, id: run.id, step: run.step });
  await panel.getByRole('button', { name: `Delete ${run.name}` }).click();
  await studio.waitFor('the run is deleted', (s) => s.runs.length === 0);
  await expect(panel.getByRole('status')).toContainText('Deleted');

  // A bad file: one line naming the file and the field, and nothing changes.
  const importInput = panel.getByLabel('Import a run file');
  await importInput.setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...record, step: -2 })),
  });
  await expect(panel.getByRole('alert')).toHaveText(
    'broken.json: field "step" must be a whole number ≥ 0, got -2',
  );
  expect((await studio.state()).runs).toEqual([]);

  await importInput.setInputFiles((await exported.d.path())!);
  await studio.waitFor('the run is back', (s) => s.runs.length === 1);
  expect((await studio.state()).runs[0]).toEqual(reloaded);
  const again = await downloaded(page, () =>
    panel.getByRole('button', { name: `Export ${run.name} as JSON` }).click(),
  );
  expect(JSON.parse(again.text)).toEqual(JSON.parse(exported.text));

  // Rename inline with the keyboard, and pin.
  await panel.getByRole('button', { name: `Rename ${run.name}` }).click();
  const field = panel.getByRole('textbox', { name: `New name for ${run.name}` });
  await field.fill('not this');
  await field.press('Escape');
  await expect(field).toBeHidden();
  await expect(panel.getByRole('button', { name: `Rename ${run.name}` })).toBeFocused();
  expect((await studio.state()).runs[0]!.name).toBe(run.name);
  await page.keyboard.press('Enter'); // the focused Rename button again
  await field.fill('first try');
  await field.press('Enter');
  await studio.waitFor('renamed', (s) => s.runs[0]?.name === 'first try');
  await panel.getByRole('button', { name: 'Pin first try' }).click();
  await expect(panel.getByRole('button', { name: 'Pin first try' })).toHaveAttribute('aria-pressed', 'true');

  // Opening it shows its structure, its numbers and a link that reproduces it.
  await panel.getByRole('button', { name: 'first try', exact: true }).click();
  const view = page.getByRole('dialog', { name: 'first try' });
  await expect(view).toBeVisible();
  await expect(view.locator('svg.viz-svg')).toBeVisible();
  await expect(view.getByRole('link', { name: 'Reproduce this run' })).toHaveAttribute(
    'href',
    /\?backend=webgpu&net=plain-cnn&dataset=shapes&strength=30&threshold=0\.5&batch=4$/,
  );
  await view.getByRole('button', { name: 'Close' }).click();
  await expect(view).toBeHidden();
});

test("the current run's exports download, and a classroom link hides the chosen controls", async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.goto(FAST);
  await studio.step.click();
  await studio.waitFor('one step taken', (s) => s.step === 1);
  const panel = studio.controls.getByRole('region', { name: 'Runs' });
  await panel.getByText('Export this run').click();
  const menu = panel.getByRole('group', { name: 'Export this run' });

  const structure = await downloaded(page, () => menu.getByRole('button', { name: 'Structure' }).click());
  expect(structure.d.suggestedFilename()).toBe('alive_1');
  const alive = JSON.parse(structure.text) as Record<string, number>;
  const now = await studio.state();
  expect(alive).toEqual(
    Object.fromEntries(
      Object.entries(now.widths).map(([layer, width]) => [`${layer}/Conv2D`, now.alive[layer] ?? width]),
    ),
  );

  const spec = await downloaded(page, () => menu.getByRole('button', { name: 'Network spec' }).click());
  expect(JSON.parse(spec.text)).toMatchObject({ name: 'plain-cnn', layers: expect.any(Array) });

  const svg = await downloaded(page, () => menu.getByRole('button', { name: 'Diagram SVG' }).click());
  expect(svg.text).toMatch(/^<\?xml/);
  expect(svg.text).toContain('<svg');
  expect(svg.text).toContain('conv1');

  const [png] = await Promise.all([
    page.waitForEvent('download'),
    menu.getByRole('button', { name: 'Diagram PNG' }).click(),
  ]);
  const bytes = await readFile((await png.path())!);
  expect([...bytes.subarray(1, 4)]).toEqual([...Buffer.from('PNG')]);

  const csv = await downloaded(page, () => menu.getByRole('button', { name: 'Metrics CSV' }).click());
  const lines = csv.text.trim().split('\n');
  expect(lines[0]).toBe('cycle,step,task_loss,reg_loss,train_accuracy,flops,params,test_accuracy');
  expect(lines.at(-1)).toMatch(/^0,1,/);

  // The classroom link: tick Strength and Learning rate, make the link, open it.
  const classroom = panel.getByRole('group', { name: 'Classroom link: hide' });
  await classroom.getByRole('checkbox', { name: 'Strength' }).check();
  await classroom.getByRole('checkbox', { name: 'Learning rate' }).check();
  await classroom.getByRole('button', { name: 'Classroom link' }).click();
  const link = await panel.getByRole('textbox', { name: /^Classroom link/ }).inputValue();
  expect(link).toMatch(
    /\?backend=webgpu&net=plain-cnn&dataset=shapes&strength=30&threshold=0\.5&batch=4&hide=strength,lr$/,
  );
  await studio.controls.getByRole('slider', { name: /Strength/ }).waitFor();

  await page.goto(link);
  await studio.waitFor('the classroom page is built', (s) => s.ready && s.strength === 30);
  await expect(studio.controls.getByRole('slider', { name: /Threshold/ })).toBeVisible();
  await expect(studio.controls.getByRole('slider', { name: /Strength/ })).toHaveCount(0);
  await expect(studio.controls.getByRole('slider', { name: /Learning rate/ })).toHaveCount(0);
  await expect(studio.controls).toContainText('This link hides 2 controls (Strength, Learning rate).');

  // An unknown name is named like any invalid value; the known ones are still hidden.
  await page.goto(`${link.replace('hide=strength,lr', 'hide=strength,colour')}`);
  await expect(page.getByRole('alert', { name: 'Invalid settings' })).toContainText(
    '"colour" is not a control',
  );
  await expect(studio.controls.getByRole('slider', { name: /Strength/ })).toHaveCount(0);
  await expect(studio.controls.getByRole('slider', { name: /Learning rate/ })).toBeVisible();
  expect((await studio.state()).invalid).toEqual(['hide']);
});
