// The recorded run: a fresh page opened on it plays at once and starts no worker; the diagram at
// the last step shows the recording's final widths; the timeline dragged or moved by key shows
// that step's alive counts; "Train it yourself" is what starts a worker.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Recording } from '../src/state/replay/recording.ts';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

const recording = JSON.parse(readFileSync('public/recordings/mnist-resnet-mini.json', 'utf8')) as Recording;
const frames = recording.runs.flops.frames;
const last = frames[frames.length - 1]!;

test('a fresh page plays the recorded run without a worker, and the timeline seeks', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const studio = new StudioPage(page);
  await page.goto('/?replay=1');

  const bar = page.getByRole('region', { name: 'Recorded run' });
  await expect(bar).toContainText('Recording');
  await expect
    .poll(async () => (await studio.state()).replay?.playing, { message: 'it plays at once' })
    .toBe(true);
  // Pause holds the step, and a seek while paused stays paused.
  await bar.getByRole('button', { name: 'Pause', exact: true }).click();
  const held = (await studio.state()).replay!;
  expect(held.playing).toBe(false);
  await bar.getByRole('slider', { name: 'Timeline' }).fill('2');
  await expect(bar).toContainText(`step 20 / ${last.step}`);
  expect((await studio.state()).replay).toMatchObject({ playing: false, step: 20 });
  await expect(bar.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await bar.getByRole('button', { name: 'Play', exact: true }).click();
  await bar.getByLabel('Speed').selectOption('4');
  const end = await studio.waitFor('it plays to the end', (s) => s.replay !== null && !s.replay.playing);
  expect(end.replay).toEqual({
    playing: false,
    step: last.step,
    steps: last.step,
    source: '/recordings/mnist-resnet-mini.json',
  });
  expect(end.alive).toEqual(last.alive);
  // The diagram itself shows the final widths, layer by layer.
  const diagram = page.getByRole('region', { name: 'Recorded structure' });
  for (const [layer, n] of Object.entries(last.alive)) {
    const total = recording.spec.layers.find((l) => l.name === layer && l.type === 'conv');
    if (total?.type !== 'conv') continue;
    await expect(
      diagram.getByRole('option', { name: `${layer}: ${n}/${total.filters} channels` }),
    ).toHaveCount(1);
  }

  // Drag the timeline to about a third of the way.
  const timeline = bar.getByRole('slider', { name: 'Timeline' });
  const box = (await timeline.boundingBox())!;
  await page.mouse.move(box.x + 4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const dragged = await studio.state();
  const at = frames.find((f) => f.step === dragged.replay!.step)!;
  expect(dragged.replay!.step).toBeGreaterThan(0);
  expect(dragged.replay!.step).toBeLessThan(last.step);
  expect(dragged.alive).toEqual(at.alive);
  await expect(bar).toContainText(`step ${at.step} / ${last.step}`);

  // The keyboard moves one readback.
  await timeline.focus();
  await page.keyboard.press('ArrowRight');
  const next = frames[frames.indexOf(at) + 1]!;
  await expect.poll(async () => (await studio.state()).replay?.step).toBe(next.step);
  expect((await studio.state()).alive).toEqual(next.alive);
  expect(workers).toEqual([]);

  // Training it live is what starts a worker.
  await bar.getByRole('button', { name: 'Train it yourself' }).click();
  await expect.poll(() => workers.length, { message: 'a training worker starts' }).toBe(1);
  expect((await studio.state()).replay).toBeNull();
  expect(page.url()).not.toContain('replay');
});

test('"Watch a recorded run" is the first thing on a live page and pauses nothing it should not', async ({
  page,
}) => {
  const studio = new StudioPage(page);
  await studio.goto(FAST);
  const watch = page.getByRole('button', { name: 'Watch a recorded run' });
  // First in the page's tab order after the header's own buttons.
  await expect(watch).toBeVisible();
  await studio.train.click();
  await studio.waitFor('the live run trains', (s) => s.running && s.step > 0);
  await watch.click();
  const s = await studio.waitFor('the recording plays', (x) => x.replay?.playing === true);
  expect(s.running).toBe(false);
  expect(s.alive).toEqual(frames[s.replay!.step / 10]!.alive);
  await expect(watch).toHaveCount(0);
  await page.getByRole('button', { name: 'Close the recording' }).click();
  await expect(studio.structure).toBeVisible();
  expect((await studio.state()).replay).toBeNull();
});
