// The page's three importers in the built page (project `webgpu`, trained on tfjs cpu to stay
// quick): a file over its kind's limit is refused from its size in one line; a run the page
// exported, renamed here and imported again keeps the new name and says so; a sweep with 1e308
// FLOPs is named and the chart stays as it was.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

const MB = 1024 * 1024;
const sweep = readFileSync(new URL('fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url), 'utf8');
const json = (name: string, text: string | Buffer) => ({
  name,
  mimeType: 'application/json',
  buffer: typeof text === 'string' ? Buffer.from(text) : text,
});

test('importers: size first, a run imported again keeps its name, a 1e308 sweep is refused', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.goto({ ...FAST, backend: 'cpu' });
  const panel = studio.controls.getByRole('region', { name: 'Runs' });

  // Too big: said from the size alone, nothing imported.
  const big = Buffer.alloc(21 * MB, 0x20);
  await page.getByLabel('Import a network spec JSON file').setInputFiles(json('net.json', big));
  await expect(page.getByRole('alert').filter({ hasText: 'net.json' })).toHaveText(
    'net.json is 21 MB; a network spec file can be at most 1 MB',
  );
  await panel.getByLabel('Import a run file').setInputFiles(json('runs.json', big));
  await expect(panel.getByRole('alert')).toHaveText('runs.json is 21 MB; a run file can be at most 20 MB');

  // A real run, exported, renamed here, imported again: the name given here stays.
  await studio.step.click();
  const saved = await studio.waitFor('the run is saved', (s) => s.step === 1 && s.runs.length === 1);
  const run = saved.runs[0]!;
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: `Export ${run.name} as JSON` }).click(),
  ]);
  const exported = await readFile((await download.path())!);
  await panel.getByRole('button', { name: `Rename ${run.name}` }).click();
  const field = panel.getByRole('textbox', { name: `New name for ${run.name}` });
  await field.fill('my run');
  await field.press('Enter');
  await studio.waitFor('renamed', (s) => s.runs[0]?.name === 'my run');
  await panel.getByLabel('Import a run file').setInputFiles(json('again.json', exported));
  await expect(panel.getByRole('status')).toHaveText(
    'This run is already in the list (kept your name “my run”).',
  );
  expect((await studio.state()).runs.map((r) => [r.id, r.name])).toEqual([[run.id, 'my run']]);

  // A sweep whose first point claims 1e308 FLOPs: one line naming the point; the chart is unchanged.
  const bad = JSON.parse(sweep) as { points: Record<string, unknown>[] };
  bad.points[0]!['flops'] = 1e308;
  const section = page.getByRole('region', { name: /^Trade-off/ });
  const points = section.getByRole('figure').getByRole('button');
  await expect(points).not.toHaveCount(0);
  const shown = await points.count();
  const origin = await section.locator('.tradeoff-origin').textContent();
  await section
    .getByLabel('Import sweep file', { exact: true })
    .setInputFiles(json('sweep.json', JSON.stringify(bad)));
  await expect(section.getByRole('alert')).toHaveText(
    'sweep.json: points[0] (×0.25): flops: is 1e+308, but the network in its spec has 1401024 FLOPs',
  );
  await expect(points).toHaveCount(shown);
  await expect(section.locator('.tradeoff-origin')).toHaveText(origin!);
});
