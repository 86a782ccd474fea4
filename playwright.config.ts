// End-to-end tests against the built page (`vite build` first, then `vite preview` here), in
// Debian's Chromium with the flags from ../shared/BROWSER.md. Two projects: with WebGPU (the
// SwiftShader adapter, forced by the URL) and without it (the page must fall back to WebGL).
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './scripts/chromium-flags.ts';

const chromium =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const quiet = [...CHROMIUM_FLAGS];
// Helpers working side by side build to their own folder and serve on their own port.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const DIST = process.env.E2E_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  // SwiftShader WebGPU is ~100x slower than a GPU and its first step compiles shaders for up to
  // 40 s: the tests are few and long, and the two projects run one after the other.
  timeout: 300_000,
  expect: { timeout: 90_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    viewport: { width: 1400, height: 1000 },
    // Clicks and checks resolve at once or not at all; the long waits are the assertions'.
    actionTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'webgpu',
      testIgnore: /fallback\.spec\.ts/,
      use: {
        launchOptions: {
          ...(chromium ? { executablePath: chromium } : {}),
          args: [...quiet, '--enable-unsafe-webgpu'],
        },
      },
    },
    {
      name: 'no-webgpu',
      testMatch: /fallback\.spec\.ts/,
      use: { launchOptions: { ...(chromium ? { executablePath: chromium } : {}), args: quiet } },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
