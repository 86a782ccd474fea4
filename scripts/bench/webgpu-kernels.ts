// The "WebGPU training kernels" section's measurement: filter-grad-timing.ts bundled with esbuild
// and run in headless Chromium on its WebGPU adapter (SwiftShader on machines without a GPU).
// The page is a blank document on a localhost origin (WebGPU needs a secure context), answered
// by Playwright itself: no server and no build of the studio.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForPage, openHarness } from '../harness-page.ts';
import { launch } from './browser.ts';
import type { PageRun } from './webgpu-kernels-page.ts';

export interface WebGPUKernelResult extends PageRun {
  chromium: string;
}

const here = dirname(fileURLToPath(import.meta.url));

export async function runWebGPUKernels(opts: {
  batch: number;
  rounds: number;
  reps: number;
  /** Whole training steps, alternated; 0 skips them (on SwiftShader each takes tens of seconds). */
  stepRounds: number;
  log: (msg: string) => void;
}): Promise<WebGPUKernelResult> {
  const code = await bundleForPage(join(here, 'webgpu-kernels-page.ts'));
  const { browser, version } = await launch();
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => {
      if (msg.text().startsWith('[bench] ')) opts.log(`webgpu kernels: ${msg.text().slice(8)}`);
    });
    await openHarness(page, 'http://localhost:9/__filter-grad-bench', 'bench', code);
    opts.log(
      `webgpu kernels: Chromium ${version}, resnet-mini's filter gradients at batch ${opts.batch}, ${opts.rounds} rounds`,
    );
    const { batch, rounds, reps, stepRounds } = opts;
    const result = await page.evaluate(
      (o) =>
        (window as unknown as { __filterGradBench: (o: object) => Promise<PageRun> }).__filterGradBench(o),
      { batch, rounds, reps, stepRounds },
    );
    return { ...result, chromium: version };
  } finally {
    await browser.close();
  }
}
