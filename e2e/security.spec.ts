// The built page under its own Content-Security-Policy (vite.config.ts): every request it makes
// while a person loads it, trains a few steps, runs a twin, opens the trade-off chart and
// downloads every export stays on its own origin, and the browser reports no policy violation,
// in the page or in its workers.
import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page, type Response } from '@playwright/test';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

const POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; " +
  "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'";

declare global {
  interface Window {
    __violations?: string[];
  }
}

/** `blob:` URLs carry their creator's origin; `data:` URLs are no request at all. */
function originOf(url: string): string {
  return url.startsWith('data:') ? 'data:' : new URL(url).origin;
}

async function downloadAll(page: Page, panel: Locator) {
  await panel.getByText('Export this run').click();
  const menu = panel.getByRole('group', { name: 'Export this run' });
  const names: string[] = [];
  for (const label of [
    'Structure',
    'Network spec',
    'PyTorch package',
    'Diagram SVG',
    'Diagram PNG',
    'Metrics CSV',
  ]) {
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      menu.getByRole('button', { name: label }).click(),
    ]);
    const bytes = await readFile((await d.path())!);
    expect(bytes.length, `${label} is not empty`).toBeGreaterThan(20);
    names.push(d.suggestedFilename());
  }
  return names;
}

test('no request leaves the origin and no policy violation is reported, from load to exports', async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(480_000);
  const origin = new URL(baseURL!).origin;
  // The context sees the page's and its workers' requests alike.
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  // The document's violations through the event; a worker's through the console line Chromium
  // writes for each (a worker's events never reach the document).
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations!.push(
        `${e.effectiveDirective}: ${e.blockedURI || 'inline'} ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  const consoleViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleViolations.push(m.text().slice(0, 200));
  });

  const documents: Response[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'document') documents.push(r);
  });

  const studio = new StudioPage(page);
  await studio.goto(FAST);
  // The policy and cross-origin isolation come as headers, and the policy also as a <meta>.
  expect(documents).toHaveLength(1);
  const headers = documents[0]!.headers();
  expect(headers['content-security-policy']).toBe(POLICY);
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', POLICY);
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);

  // Train a few steps.
  await studio.step.click();
  await studio.waitFor('one step taken', (s) => s.step === 1);
  await studio.train.click();
  await studio.waitFor('training advances', (s) => s.step >= 3);
  await studio.pause.click();
  await studio.waitFor('paused', (s) => !s.running);

  // Every export of the run.
  const panel = studio.controls.getByRole('region', { name: 'Runs' });
  const files = await downloadAll(page, panel);
  expect(files.map((f) => f.replace(/step\d+/, 'stepN').replace(/_\d+$/, '_N'))).toEqual([
    'alive_N',
    'plain-cnn-cycle0.json',
    'plain-cnn-flops-cycle0-stepN-pytorch.zip',
    'plain-cnn-flops-cycle0-stepN.svg',
    'plain-cnn-flops-cycle0-stepN.png',
    'plain-cnn-flops-cycle0-stepN-metrics.csv',
  ]);

  // A twin run of two steps.
  const twin = page.getByRole('region', { name: /Twin run/ });
  await twin.getByRole('spinbutton', { name: 'Twin steps' }).fill('2');
  await twin.getByRole('button', { name: 'Twin run', exact: true }).click();
  // Two more networks compile their shaders on SwiftShader: minutes on a busy machine.
  await expect
    .poll(async () => (await studio.state()).twin, {
      message: 'both twin runs train two steps',
      timeout: 240_000,
    })
    .toMatchObject({ flops: { step: 2 }, size: { step: 2 } });
  // Their test accuracy takes minutes on SwiftShader and asks for nothing new: stop there.
  await twin.getByRole('button', { name: 'Stop twin' }).click();

  // The trade-off chart: the bundled sweep, a point's structure.
  const tradeoff = page.getByRole('region', { name: /^Trade-off/ });
  const points = tradeoff.getByRole('figure').getByRole('button');
  await expect(points.first()).toBeVisible();
  // By keyboard, as a person can: with the twin's shaders still compiling in SwiftShader's GPU
  // process, the page's animation frames stall for a minute (seen: 65 s), and a mouse click
  // waits for two frames to call the point "stable".
  await points.first().focus();
  await page.keyboard.press('Enter');
  await expect(tradeoff.getByRole('region', { name: 'Selected point' })).toBeVisible();

  const outside = requests.filter((u) => originOf(u) !== origin && originOf(u) !== 'data:');
  expect(outside, 'requests to other origins').toEqual([]);
  // It did load what it needed from its own origin: the sweep and the worker script.
  expect(requests.some((u) => u.includes('/sweeps/'))).toBe(true);
  expect(requests.some((u) => /worker/.test(u))).toBe(true);
  expect(await page.evaluate(() => window.__violations)).toEqual([]);
  expect(consoleViolations).toEqual([]);
});
