// What several specs share.
import type { Page } from '@playwright/test';

/**
 * Settings that make a WebGPU run quick on SwiftShader: the shapes dataset, batch 4, plain-cnn,
 * and a strength and threshold high enough that channels die within a few steps (what a person
 * sees after minutes on a GPU, seen here in seconds). The page's defaults stay for people.
 */
export const FAST = {
  backend: 'webgpu',
  dataset: 'shapes',
  net: 'plain-cnn',
  batch: 4,
  strength: 30,
  threshold: 0.5,
} as const;

/**
 * Marks the page as under test before its scripts run, so its workers accept the test API's
 * fault injection (main.tsx names them '…:test').
 */
export async function underTest(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as { __studioTest?: boolean }).__studioTest = true;
  });
}
