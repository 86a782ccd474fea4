// Dev-only: bundles client.tsx, opens it in Chromium, hovers a layer, drags and keys the
// threshold, and screenshots each state. Run: npx tsx src/viz/preview/interact.ts [outDir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../../scripts/chromium-flags.ts';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? '/tmp/viz-preview';
mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [join(here, 'client.tsx')],
  bundle: true,
  jsx: 'automatic',
  outfile: join(outDir, 'client.js'),
  define: { 'process.env.NODE_ENV': '"development"' },
  logLevel: 'warning',
});
const css = readFileSync(join(here, '..', 'viz.css'), 'utf8');
writeFileSync(
  join(outDir, 'interactive.html'),
  `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body { margin: 16px; font-family: var(--viz-font); } .row { display: flex; gap: 24px; align-items: flex-start; }
</style></head><body><div id="root"></div><script src="client.js"></script></body></html>`,
);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [...CHROMIUM_FLAGS],
});
const check = (what: string, ok: boolean) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) process.exitCode = 1;
};
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${join(outDir, 'interactive.html')}`);
  const value = async () => Number(await page.locator('#threshold').textContent());

  await page.getByLabel('s1b1/conv1:', { exact: false }).hover();
  check(
    'hover shows a tooltip',
    (await page.getByRole('tooltip').textContent())?.includes('s1b1/conv1') ?? false,
  );
  check('hover calls onHover', (await page.locator('#hovered').textContent()) === 's1b1/conv1');
  await page.screenshot({ path: join(outDir, 'interactive-hover.png') });

  const slider = page.getByRole('slider', { name: 'Threshold on the histograms' });
  await slider.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  check(`ten ArrowRight steps multiply by 10 (${await value()})`, (await value()) === 0.01);
  check('aria-valuenow follows', (await slider.getAttribute('aria-valuenow')) === '0.01');

  // Drag the threshold inside the first histogram panel from the left edge to the middle.
  const panel = page.locator('.viz-hist-panel .viz-drag-area').first();
  const box = await panel.boundingBox();
  if (!box) throw new Error('no panel');
  await page.mouse.move(box.x + 12, box.y + box.height / 2);
  await page.mouse.down();
  const leftValue = await value();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const mid = await value();
  check(
    `drag moves the threshold on a log scale (${leftValue.toExponential(2)} → ${mid.toExponential(2)})`,
    mid > leftValue * 100,
  );
  check('no console errors', errors.length === 0);
  if (errors.length) console.log(errors.join('\n'));
  await page.screenshot({ path: join(outDir, 'interactive-drag.png') });
  console.log(join(outDir, 'interactive-hover.png'), join(outDir, 'interactive-drag.png'));
} finally {
  await browser.close();
}
