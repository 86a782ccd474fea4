// `tsx scripts/bench/webgpu-profile.ts [--composed]`: one resnet-mini step at batch 32 on headless
// Chromium's WebGPU adapter under tf.profile, printed as JSON (kernel counts and timestamp-query
// times by kernel name). The profile behind issue 10's batch-norm kernels; not part of `npm run bench`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForPage, openHarness } from '../harness-page.ts';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './browser.ts';
import type { ProfileRun } from './webgpu-profile-page.ts';

const here = dirname(fileURLToPath(import.meta.url));
const composed = process.argv.includes('--composed');
const code = await bundleForPage(join(here, 'webgpu-profile-page.ts'));
// allow_unsafe_apis exposes timestamp-query, which tf.profile needs for per-kernel times.
const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: [...CHROMIUM_ARGS, '--enable-dawn-features=allow_unsafe_apis'],
});
try {
  const page = await browser.newPage();
  await openHarness(page, 'http://localhost:9/__webgpu-profile', 'profile', code);
  const run = await page.evaluate(
    (o) => (window as unknown as { __webgpuProfile: (o: object) => Promise<ProfileRun> }).__webgpuProfile(o),
    { batch: 32, composed },
  );
  console.log(JSON.stringify(run, null, 1));
} finally {
  await browser.close();
}
