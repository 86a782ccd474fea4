// Takes the README's screenshot (docs/screenshot.png): the studio mid-training, by the same
// Chromium the tests use. Not a test; run against a served build:
//   npx vite build && npx vite preview --port 4173 &
//   npx tsx e2e/take-screenshot.ts [url] [steps] [out]
import { chromium } from 'playwright-core';

const url = process.argv[2] ?? 'http://localhost:4173/?batch=8';
const steps = Number(process.argv[3] ?? 80);
const out = process.argv[4] ?? 'docs/screenshot.png';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
args.push('--disable-quic', '--no-first-run', '--enable-unsafe-webgpu');

const browser = await chromium.launch({ executablePath, args });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
await page.goto(url);
const state = () => page.evaluate(() => window.__studio!.getState());
await page.waitForFunction(() => window.__studio?.getState().ready, null, { timeout: 180_000 });
await page.getByRole('button', { name: 'Train', exact: true }).click();
const t0 = Date.now();
for (let s = await state(); s.step < steps; s = await state()) {
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s: step ${s.step}`);
  await page.waitForTimeout(15_000);
}
const s = await state();
console.log(`${s.step} steps in ${((Date.now() - t0) / 1000).toFixed(0)} s on ${s.backend}; alive`, s.alive);
await page.mouse.move(0, 0);
await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1400, height: 1000 } });
console.log(`wrote ${out}`);
await browser.close();
