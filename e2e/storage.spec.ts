// Storage full (issue 9), in the built page on tfjs's cpu backend with a tiny imported network:
// the test API's 'storage-full' fault makes every save of the runs fail as a full disk does (a
// QuotaExceededError, the writes rolled back). The page says so in plain words, keeps training,
// the runs panel does not claim the run is kept, and nothing half-written reaches IndexedDB;
// after 'storage-ok' the next save goes through and a reload finds the run, whole.
import { expect, test, type Page } from '@playwright/test';
import { FAST, underTest } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

const FULL =
  'The browser’s storage is full: this run is no longer being saved. Delete old runs in the list to make room.';
const PANEL_FULL =
  'The run training now is not being saved: the storage is full. Deleting old runs here makes room.';

/** Two small convs for the shapes dataset (as in persist.spec.ts): many steps a second on cpu. */
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

interface Stored {
  runs: { id: string; step: number; updatedAt: string }[];
  weights: { id: string; step: number }[];
}

/** What IndexedDB holds, read straight from the database (not through the page's store). */
function stored(page: Page): Promise<Stored> {
  return page.evaluate(
    () =>
      new Promise<Stored>((resolve, reject) => {
        const open = indexedDB.open('morphnet-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['runs', 'weights']);
          const runs = tx.objectStore('runs').getAll();
          const weights = tx.objectStore('weights').getAll();
          tx.oncomplete = () => {
            db.close();
            resolve({
              runs: (runs.result as Stored['runs']).map(({ id, step, updatedAt }) => ({
                id,
                step,
                updatedAt,
              })),
              weights: (weights.result as Stored['weights']).map(({ id, step }) => ({ id, step })),
            });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

test('storage full: said in plain words, training goes on, nothing half-written, saved again once there is room', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await underTest(page);
  const studio = new StudioPage(page);
  await studio.goto({ ...FAST, backend: 'cpu' });
  await page.getByLabel('Import a network spec JSON file').setInputFiles({
    name: 'tiny.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(TINY)),
  });
  await studio.waitFor('the tiny network is built', (s) => s.ready && s.cost !== null && 't1' in s.widths);
  const panel = studio.controls.getByRole('region', { name: 'Runs' });
  const saving = page.getByRole('alert', { name: 'Saving runs' });

  await studio.train.click();
  await studio.waitFor('a few steps, saved', (s) => s.running && s.step >= 5 && s.runs.length === 1);
  await studio.fault('storage-full');
  await expect(saving).toHaveText(FULL);
  await expect(panel.getByRole('status').filter({ hasText: 'not being saved' })).toHaveText(PANEL_FULL);
  await expect(panel).not.toContainText('kept when you reload');

  // From here every save is refused: what IndexedDB holds stays as it was, through a checkpoint.
  const atFault = await studio.state();
  const before = await stored(page);
  expect(before.runs.map((r) => r.id)).toEqual([atFault.runs[0]!.id]);
  expect(before.runs[0]!.step).toBe(atFault.runs[0]!.step);
  const during = await studio.waitFor(
    'training goes on past another checkpoint',
    (s) => s.running && (s.checkpointStep ?? 0) > (atFault.checkpointStep ?? 0) && s.step > atFault.step + 10,
  );
  await page.waitForTimeout(2_500); // a save period (SAVE_EVERY_MS) after that checkpoint
  expect(await stored(page)).toEqual(before);
  expect((await studio.state()).runs[0]!.step).toBe(atFault.runs[0]!.step);
  await expect(saving).toHaveText(FULL);

  await studio.fault('storage-ok');
  await expect(saving).toHaveCount(0); // the next save went through
  await expect(panel.getByRole('status').filter({ hasText: 'not being saved' })).toHaveCount(0);
  const paused = await studio.pauseAndSettle(
    'paused and saved at its last step',
    (s) => s.runs.length === 1 && s.runs[0]!.step === s.step,
  );
  expect(paused.step).toBeGreaterThan(during.step);
  const after = await stored(page);
  expect(after.runs).toHaveLength(1);
  expect(after.runs[0]).toMatchObject({ id: atFault.runs[0]!.id, step: paused.step });

  await page.reload();
  const back = await studio.waitFor(
    'the page is back with its saved run',
    (s) => s.ready && s.runs.length === 1,
  );
  expect(back.runs[0]).toMatchObject({ id: atFault.runs[0]!.id, step: paused.step });
  // Whole: one record and its weights, at a checkpoint reached after the storage had room again.
  const whole = await stored(page);
  // (its time of writing may move: the page saves once more as it goes away)
  expect(whole.runs.map(({ id, step }) => ({ id, step }))).toEqual([
    { id: atFault.runs[0]!.id, step: paused.step },
  ]);
  expect(whole.weights.map((w) => w.id)).toEqual([atFault.runs[0]!.id]);
  expect(whole.weights[0]!.step).toBeGreaterThanOrEqual(during.checkpointStep!);
  expect(whole.weights[0]!.step).toBeLessThanOrEqual(paused.step);
  await expect(saving).toHaveCount(0);
  await expect(
    panel.getByRole('button', { name: new RegExp(`^Resume .+ from step ${whole.weights[0]!.step}$`) }),
  ).toBeVisible();
});

test('outside a test the storage-full fault does nothing: the run is saved as it trains', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.goto({ ...FAST, backend: 'cpu' }); // no underTest, no ?test=1
  await studio.fault('storage-full');
  await studio.train.click();
  const first = await studio.waitFor(
    'a few steps, saved',
    (s) => s.running && s.step >= 3 && s.runs.length === 1,
  );
  await studio.waitFor(
    'saved again further on',
    (s) => s.runs.length === 1 && s.runs[0]!.step > first.runs[0]!.step,
  );
  await studio.pause.click();
  await expect(page.getByRole('alert', { name: 'Saving runs' })).toHaveCount(0);
  expect((await stored(page)).runs.map((r) => r.id)).toEqual([first.runs[0]!.id]);
});
