// Dev-only preview: renders the viz components to static markup with seeded data, wraps them in
// an HTML page with viz.css and screenshots it in Chromium. Nothing in the app imports this, so
// it never reaches the production build. Run: npx tsx src/viz/preview/screenshot.tsx [outDir]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { chromium } from 'playwright-core';
import type { NetworkSpec } from '../../morphnet/types.ts';
import { StructureDiagram } from '../StructureDiagram.tsx';
import { previewScenes } from './scenes.tsx';
import { CHROMIUM_FLAGS } from '../../../scripts/chromium-flags.ts';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? '/tmp/viz-preview';
mkdirSync(outDir, { recursive: true });
const css = readFileSync(join(here, '..', 'viz.css'), 'utf8');

function page(body: ReactElement): string {
  const markup = renderToStaticMarkup(body);
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body { margin: 16px; background: #fff; font-family: var(--viz-font); }
.row { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
</style></head><body>${markup}</body></html>`;
}

// The real seed networks, when src/morphnet/seeds is there (it belongs to another module).
const seedsDir = join(here, '..', '..', 'morphnet', 'seeds');
const scenes = previewScenes();
if (existsSync(seedsDir)) {
  const specs = readdirSync(seedsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(seedsDir, f), 'utf8')) as NetworkSpec);
  scenes.seeds = (
    <div className="row">
      {specs.map((spec) => (
        <StructureDiagram key={spec.name} spec={spec} title={spec.name} width={380} height={620} />
      ))}
    </div>
  );
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [...CHROMIUM_FLAGS],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 700 } });
  for (const [name, scene] of Object.entries(scenes)) {
    const html = join(outDir, `${name}.html`);
    writeFileSync(html, page(scene));
    await tab.goto(`file://${html}`);
    await tab.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
    console.log(join(outDir, `${name}.png`));
  }
} finally {
  await browser.close();
}
