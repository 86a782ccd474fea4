// Code that runs in a browser for a test or a benchmark but must not ship with the studio (the
// WebGPU kernel checks and timings): bundled here with esbuild and run in a blank page that
// Playwright itself answers, on a localhost origin (WebGPU needs a secure context; localhost is
// one). The e2e specs open it on the preview server's origin, the benchmarks on one of their own.
import type { Page } from '@playwright/test';
import { build } from 'esbuild';

/** `entry` and what it imports, as one script for a page. */
export async function bundleForPage(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  return out.outputFiles[0]!.text;
}

/**
 * Opens `url` (absolute, or relative to the test's baseURL) as an empty document titled `title`
 * and runs `code` in it.
 */
export async function openHarness(page: Page, url: string, title: string, code: string): Promise<void> {
  const path = new URL(url, 'http://localhost').pathname;
  await page.route(`**${path}`, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>${title}</title>` }),
  );
  await page.goto(url);
  await page.addScriptTag({ content: code });
}
