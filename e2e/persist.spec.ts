// Nothing lost (issue 9), in the built page on tfjs's cpu backend with a tiny imported network to
// stay quick (plain-cnn steps at about one a second there): a run reloaded mid-training is in the
// list up to its last checkpoint and Resume trains it on from that step (not from 0) in the same
// saved run; a twin run reloaded mid-way leaves both its runs in the list, each resumable; a
// trade-off queue reloaded mid-network resumes by itself, that network from its checkpoint.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

const CPU = { ...FAST, backend: 'cpu' } as const;

/** Two small convs for the shapes dataset (32×32×3, 6 classes): many steps a second on cpu. */
const TINY = {
  name: 'tiny',
  input: { height: 32, width: 32, channels: 3 },
  classes: 6,
  layers: [
    { name: 't1', type: 'conv', from: 'input', filters: 4, kernel: 3, stride: 2 },
    { name: 't2', type: 'conv', from: 't1', filters: 8, kernel: 3, stride: 2 },
    { name: 'pool', type: 'gap', from: 't2' },
    { name: 'logits', type: 'dense', from: 'pool', units: 6, relu: false },
  ],
};

/** Opens the studio on cpu and imports the tiny network. */
async function openTiny(page: Page): Promise<StudioPage> {
  const studio = new StudioPage(page);
  await studio.goto(CPU);
  await page.getByLabel('Import a network spec JSON file').setInputFiles({
    name: 'tiny.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(TINY)),
  });
  await studio.waitFor('the tiny network is built', (s) => s.ready && s.cost !== null && 't1' in s.widths);
  return studio;
}

/** The step a row's Resume button offers ("Resume NAME from step 50"). */
async function resumeStep(button: Locator): Promise<number> {
  const label = (await button.getAttribute('aria-label')) ?? '';
  const m = / from step (\d+)$/.exec(label);
  if (!m) throw new Error(`not a Resume button: ${label}`);
  return Number(m[1]);
}

test('a run reloaded mid-training resumes from its last checkpoint, in the same saved run', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const studio = await openTiny(page);
  const panel = studio.controls.getByRole('region', { name: 'Runs' });

  await studio.train.click();
  // Past the worker's first checkpoint after the build (step 0) and its next one (every 50 steps).
  const before = await studio.waitFor(
    'a checkpoint past step 0 and steps beyond it',
    (s) => (s.checkpointStep ?? 0) >= 50 && s.step > (s.checkpointStep ?? 0) && s.runs.length === 1,
  );
  const run = before.runs[0]!;
  await page.reload(); // while it trains

  await studio.waitFor('the page is back with its saved run', (s) => s.ready && s.runs.length === 1);
  const saved = (await studio.state()).runs[0]!;
  expect(saved.id).toBe(run.id);
  // Saved as the page went away, not up to 2 s before: nothing it had read back is lost.
  expect(saved.step).toBeGreaterThanOrEqual(before.step);
  const resume = panel.getByRole('button', { name: new RegExp(`^Resume ${run.name} from step \\d+$`) });
  await expect(resume).toBeVisible();
  const from = await resumeStep(resume);
  expect(from).toBeGreaterThanOrEqual(before.checkpointStep!);

  await resume.click();
  await studio.waitFor('the run is rebuilt at its checkpoint', (s) => s.ready && s.step === from);
  await studio.train.click();
  await studio.waitFor('training goes on from the checkpoint', (s) => s.step >= from + 5);
  const after = await studio.pauseAndSettle(
    'the same saved run carries on',
    (s) => s.runs.length === 1 && s.runs[0]!.step === s.step,
  );
  expect(after.runs[0]!.id).toBe(run.id);
  expect(after.runs[0]!.name).toBe(run.name);
  expect(after.step).toBeGreaterThan(from);
  await expect(panel.getByRole('listitem')).toHaveCount(1);
});

test('a twin run reloaded mid-way leaves both its runs in the list, each resumable', async ({ page }) => {
  test.setTimeout(240_000);
  const studio = await openTiny(page);
  const panel = studio.controls.getByRole('region', { name: 'Runs' });

  const twin = page.getByRole('region', { name: /Twin run/ });
  await twin.getByRole('spinbutton', { name: 'Twin steps' }).fill('3000');
  await twin.getByRole('button', { name: 'Twin run', exact: true }).click();
  // Saved as they go: both are in the list long before the twin finishes.
  const mid = await studio.waitFor(
    'both twin runs step and are saved',
    (s) => s.twin.flops.step >= 60 && s.twin.size.step >= 60 && s.runs.length === 2,
  );
  expect(mid.twin.phase).toBe('training');
  await page.reload();

  const back = await studio.waitFor(
    'the page is back with both twin runs',
    (s) => s.ready && s.runs.length === 2,
  );
  expect(back.runs.map((r) => [r.name, r.target]).sort()).toEqual([
    ['Twin · FLOPs', 'flops'],
    ['Twin · size', 'size'],
  ]);
  for (const r of back.runs) expect(r.step).toBeGreaterThanOrEqual(1);
  for (const name of ['Twin · FLOPs', 'Twin · size']) {
    const resume = panel.getByRole('button', { name: new RegExp(`^Resume ${name} from step \\d+$`) });
    await expect(resume).toBeVisible();
    expect(await resumeStep(resume)).toBeGreaterThanOrEqual(1);
  }
});

test('a trade-off queue reloaded mid-network resumes by itself, that network from its checkpoint', async ({
  page,
}) => {
  test.setTimeout(280_000);
  const studio = new StudioPage(page);
  await studio.goto(CPU);
  const queue = page.getByRole('region', { name: "Measure this page's network" });
  const fill = (label: string, value: string) => queue.getByLabel(label, { exact: true }).fill(value);
  for (const [label, value] of [
    ['Steps per network', '150'],
    ['Multipliers', '0.25'],
    ['Pruning fractions', ''],
    ['MorphNet strengths', ''],
  ] as const)
    await fill(label, value);
  await queue.getByRole('button', { name: 'Measure the trade-off' }).click();
  const progress = queue.getByRole('status').filter({ hasText: 'of 1 points' });
  const stepOf = async () => Number(/step (\d+)\/150/.exec((await progress.textContent()) ?? '')?.[1] ?? -1);
  await expect
    .poll(stepOf, { message: 'past the network’s first checkpoints', timeout: 180_000 })
    .toBeGreaterThan(60);
  await page.reload();

  // Nobody presses anything: the queue picks up where it was, not at step 0.
  const resumed = queue.getByText(
    /^Picked up the measuring where your last visit left it \(uniform ×0\.25 from step (\d+)\)\.$/,
  );
  await expect(resumed).toBeVisible();
  const from = Number(/from step (\d+)/.exec((await resumed.textContent()) ?? '')?.[1]);
  expect(from).toBeGreaterThan(0); // a checkpoint every 50 steps or 15 s, whichever comes first
  await expect
    .poll(stepOf, { message: 'the network trains on from its checkpoint' })
    .toBeGreaterThanOrEqual(from);
  const row = queue.locator('tbody tr');
  await expect(row).toHaveCount(1, { timeout: 180_000 });
  await expect(row).toContainText(/uniform\s*×0\.25/);
  await expect(row).toContainText('150');
});
