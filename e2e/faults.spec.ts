// The faults the page must survive (issue 9), each injected through the test API: a diverged
// run, a worker that throws, one terminated behind the page's back, its script gone (a redeploy),
// and a lost WebGPU device. Each asserts the words the page shows and that training goes on from
// the last checkpoint (or is paused, for a divergence, as designed).
import { expect, test } from '@playwright/test';
import { FAST, underTest } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

const CAUSE = '(task loss|regularizer loss|regularizer value|γ of [\\w/]+) became (NaN|Infinity|-Infinity)';

test('cpu: divergence pauses at the last good checkpoint; a crashed, a silent and a missing worker are replaced from theirs', async ({
  page,
}) => {
  await underTest(page);
  const studio = new StudioPage(page);
  await studio.goto({ ...FAST, backend: 'cpu' });

  // Divergence: the debug hook sets lr 1e30 on the worker's session only.
  await studio.train.click();
  await studio.waitFor('training advances', (s) => s.running && s.step >= 5);
  await studio.pause.click();
  const good = await studio.waitFor('paused with a checkpoint', (s) => !s.running && s.checkpointStep === s.step);
  await studio.fault('diverge');
  await studio.train.click();
  const diverged = await studio.waitFor('the divergence is caught', (s) => s.faults.length === 1 && s.ready);
  const f = diverged.faults[0]!;
  expect(f).toMatchObject({ kind: 'diverged', restored: good.step });
  expect(f.message).toMatch(
    new RegExp(
      `^Training diverged at step ${f.step} \\(the ${CAUSE}\\)\\. Went back to step ${good.step} and paused\\. ` +
        'Try a lower learning rate or strength, then press Train\\.$',
    ),
  );
  await expect(studio.notice).toContainText(f.message);
  expect(diverged).toMatchObject({ running: false, step: good.step, gammaMeans: good.gammaMeans });
  await studio.notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(studio.notice).toHaveCount(0);
  await studio.train.click();
  await studio.waitFor('training goes on from the restored step', (s) => s.running && s.step > good.step + 3);

  // A worker that throws: the page sees its error event at once.
  await studio.waitFor('a checkpoint past the restored one, nothing announced', (s) => (s.checkpointStep ?? 0) > good.step && s.progress.length === 0);
  await studio.fault('throw');
  const crashed = await studio.waitFor('the crash is noticed', (s) => s.faults.length === 2);
  const c = crashed.faults[1]!;
  expect(c.kind).toBe('crashed');
  expect(c.restored).toBeGreaterThan(good.step);
  expect(c.message).toBe(`The training worker crashed. Started a new training worker from step ${c.restored}.`);
  await expect(studio.notice).toContainText(c.message);
  await studio.waitFor('the new worker trains on from the checkpoint', (s) => s.running && s.step > c.restored! + 3);

  // A worker terminated behind the page's back says nothing at all: the pings find it within
  // 10 s, or four of its training chunks where those are slower (here, with the machine's two
  // cores shared, a chunk sized for 250 ms took up to 8 s).
  await studio.waitFor('nothing announced', (s) => s.progress.length === 0 && s.running);
  const t0 = Date.now();
  await studio.fault('terminate');
  const silent = await studio.waitFor('the silent worker is noticed', (s) => s.faults.length === 3);
  expect(Date.now() - t0).toBeLessThan(45_000);
  const t = silent.faults[2]!;
  const from = t.restored === null ? 'from the start' : `from step ${t.restored}`;
  expect(t.message).toBe(`The training worker stopped answering. Started a new training worker ${from}.`);
  await studio.waitFor('training goes on', (s) => s.running && s.step > (t.restored ?? 0) + 3);

  // Its script gone (a redeploy): three failed starts, then one plain line and Try again.
  await page.route('**/studio.worker*', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await studio.waitFor('nothing announced', (s) => s.progress.length === 0 && s.running);
  await studio.fault('terminate');
  const gaveUp = await studio.waitFor('the page gives up', (s) => s.errorKind === 'worker');
  expect(gaveUp.error).toBe(
    'The training worker could not start. The training worker failed 3 times in a row, so the page stopped trying. ' +
      'Press Try again, or reload the page.',
  );
  expect(gaveUp).toMatchObject({ running: false, ready: false });
  const error = page.getByRole('alert', { name: 'Error' });
  await expect(error).toContainText(gaveUp.error!);
  await expect(studio.reset).toBeEnabled();
  await page.unroute('**/studio.worker*');
  await error.getByRole('button', { name: 'Try again' }).click();
  const back = gaveUp.checkpointStep ?? 0;
  await studio.waitFor('Try again resumes the run from its checkpoint and trains on', (s) => s.ready && s.running && s.step > back + 2 && s.error === null);
});

test('webgpu: a lost device is replaced by a new worker from the last checkpoint, and training goes on', async ({ page }) => {
  await underTest(page);
  const studio = new StudioPage(page);
  await studio.goto(FAST);
  expect((await studio.state()).backend).toBe('webgpu');
  // The first step compiles the shaders (up to 40 s on SwiftShader).
  await studio.step.click();
  await studio.waitFor('one step taken', (s) => s.step === 1);
  await studio.train.click();
  await studio.waitFor('training advances', (s) => s.running && s.step >= 3 && s.checkpointStep !== null);
  await studio.fault('lose-device');
  const lost = await studio.waitFor('the loss is noticed and a new worker started', (s) => s.faults.length === 1 && s.notice !== null && /Started/.test(s.notice));
  const f = lost.faults[0]!;
  expect(f.kind).toBe('device-lost');
  expect(f.restored).not.toBeNull();
  expect(f.message).toBe(`The GPU device was lost (it was destroyed). Started a new training worker from step ${f.restored}.`);
  await expect(studio.notice).toContainText(f.message);
  const on = await studio.waitFor('training goes on, on a new device', (s) => s.running && s.step > f.restored! + 1);
  expect(on.backend).toBe('webgpu');
  expect(on.error).toBeNull();
});

test('cpu: a spec with a layer named __proto__ trains, and the built-in network comes back when chosen again', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto({ ...FAST, backend: 'cpu' });
  const layers = [
    { name: '__proto__', type: 'conv', from: 'input', filters: 4, kernel: 3 },
    { name: 'constructor', type: 'conv', from: '__proto__', filters: 4, kernel: 3 },
    { name: 'pool', type: 'gap', from: 'constructor' },
    { name: 'logits', type: 'dense', from: 'pool', units: 6 },
  ];
  const spec = { name: 'proto', input: { height: 32, width: 32, channels: 3 }, classes: 6, layers };
  await page.getByLabel('Import a network spec JSON file').setInputFiles({
    name: 'proto.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(spec)),
  });
  const picker = studio.controls.getByRole('combobox', { name: 'Seed network' });
  await expect(picker).toHaveValue(/.+/);
  await expect(picker.locator('option:checked')).toHaveText('Imported: proto');
  await studio.waitFor('the imported network is ready', (s) => s.ready && !('conv1' in s.widths) && s.error === null && s.specError === null);
  await studio.step.click();
  await studio.waitFor('it trains', (s) => s.step === 1 && s.error === null);
  await picker.selectOption({ label: 'Plain CNN' });
  await studio.waitFor('the built-in network is back', (s) => s.ready && 'conv1' in s.widths && s.step === 0);
  await expect(picker.locator('option:checked')).toHaveText('Plain CNN');
});
