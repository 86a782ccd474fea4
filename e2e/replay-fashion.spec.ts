// The second shipped recording: the player's Dataset choice opens the Fashion-MNIST run (same
// recipe as MNIST's, npm run assets -- --dataset fashion), and its timeline at the last step
// shows that recording's final widths. Keyboard and selects only: no mouse clicks to wait on frames.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Recording } from '../src/state/replay/recording.ts';
import { StudioPage } from './studio.page.ts';

const fashion = JSON.parse(readFileSync('public/recordings/fashion-resnet-mini.json', 'utf8')) as Recording;
const frames = fashion.runs.flops.frames;
const last = frames[frames.length - 1]!;

test('the recorded run on Fashion-MNIST is offered beside MNIST and plays its own widths', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const studio = new StudioPage(page);
  await page.goto('/?replay=1');
  const bar = page.getByRole('region', { name: 'Recorded run' });
  await expect(bar.getByLabel('Dataset').locator('option')).toHaveText(['MNIST digits', 'Fashion-MNIST']);
  await bar.getByLabel('Dataset').selectOption('fashion-resnet-mini.json');
  await studio.waitFor('the Fashion-MNIST recording', (s) => s.replay?.source === '/recordings/fashion-resnet-mini.json');
  const timeline = bar.getByRole('slider', { name: 'Timeline' });
  await timeline.focus();
  await page.keyboard.press('End');
  await expect.poll(async () => (await studio.state()).replay?.step).toBe(last.step);
  expect((await studio.state()).alive).toEqual(last.alive);
  expect(fashion.settings.dataset).toBe('fashion');
  expect(workers).toEqual([]);
});
