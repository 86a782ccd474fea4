// The classroom screenshots in docs/ (tour.png, present.png, replay.png), by the Chromium the
// tests use. Not a test; run against a served build:
//   npx vite build && npx vite preview --port 4173 &
//   npx tsx scripts/assets/screenshots.ts [base-url] [tour,present,replay]
import { chromium, type Page } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:4173';
const only = new Set((process.argv[3] ?? 'tour,present,replay').split(','));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-background-networking', '--no-first-run', '--enable-unsafe-webgpu'],
});
const viewport = { width: 1400, height: 1000 };

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__studio?.getState().ready, null, { timeout: 240_000 });
}

async function shot(page: Page, out: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: out, clip: { x: 0, y: 0, ...viewport } });
  console.log(`wrote ${out}`);
}

// The tour at its second step: the |γ| histograms outlined, the dialog docked bottom right.
if (only.has('tour')) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${base}/?backend=webgpu&tour=1`);
  await ready(page);
  await page.keyboard.press('ArrowRight');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'docs/tour.png');
  await page.close();
}

// Presenter mode, after a few training steps so the curves have something to draw.
if (only.has('present')) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${base}/?backend=webgpu&present=1&batch=8`);
  await ready(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => (window.__studio?.getState().step ?? 0) >= 10, null, { timeout: 300_000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await shot(page, 'docs/present.png');
  await page.close();
}

// The recorded run, paused two thirds of the way through.
if (only.has('replay')) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${base}/?replay=1`);
  await page.waitForFunction(() => window.__studio?.getState().replay?.playing, null, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await timeline.fill('20');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.waitForFunction(() => window.__studio?.getState().replay?.step === 200);
  await shot(page, 'docs/replay.png');
  await page.close();
}
await browser.close();
