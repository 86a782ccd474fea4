// Twin run on WebGPU (SwiftShader): one click trains a FLOPs-targeted and a size-targeted copy of
// plain-cnn from the same seed; after a few steps the two structures differ, and the FLOPs run is
// the thinner one early relative to the size run (the paper's ResNet figure, in miniature).
import { expect, test } from '@playwright/test';
import type { StudioTestState } from '../src/ui/testApi.ts';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

// With FAST's strength and threshold and seed 1, the CLI shows the pattern at steps 8 and 12
// (early = conv1–2, late = conv5–6).
const STEPS = 10;

/** Channel-weighted alive fraction of `layers` in a run. */
function fraction(alive: Record<string, number>, seedWidths: Record<string, number>, layers: string[]) {
  const total = layers.reduce((a, l) => a + seedWidths[l]!, 0);
  return layers.reduce((a, l) => a + (alive[l] ?? seedWidths[l]!), 0) / total;
}

test('a twin run learns two structures, the FLOPs run thinner early than the size run', async ({ page }) => {
  test.setTimeout(280_000);
  const studio = new StudioPage(page);
  await studio.goto(FAST);
  const seedWidths = (await studio.state()).widths;

  const twin = page.getByRole('region', { name: /Twin run/ });
  await twin.getByRole('spinbutton', { name: 'Twin steps' }).fill(String(STEPS));
  await twin.getByRole('button', { name: 'Twin run', exact: true }).click();
  await expect(twin.getByRole('progressbar', { name: 'FLOPs run progress' })).toBeVisible();
  await expect(twin.getByRole('progressbar', { name: 'Size run progress' })).toBeVisible();

  // Pause and resume once both have stepped: neither moves past where it was asked to stop.
  await studio.waitFor('both twin runs step', (s) => s.twin.flops.step >= 1 && s.twin.size.step >= 1);
  await twin.getByRole('button', { name: 'Pause twin' }).click();
  await twin.getByRole('button', { name: 'Resume twin' }).click();

  let last: StudioTestState | undefined;
  await expect
    .poll(
      async () => {
        last = await studio.state();
        return last.twin.phase === 'done' ? [last.twin.flops.step, last.twin.size.step] : last.twin.phase;
      },
      { message: `both twin runs train ${STEPS} steps`, timeout: 240_000, intervals: [2_000] },
    )
    .toEqual([STEPS, STEPS]);
  const { twin: t, step: mainStep } = last!;

  // The main run stayed paused at its start.
  expect(mainStep).toBe(0);
  expect(t.layers).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'conv6']);
  expect(t.flops.running || t.size.running).toBe(false);
  expect(t.flops.cost!.flops).toBeGreaterThan(0);

  // Two different structures.
  expect(t.flops.alive).not.toEqual(t.size.alive);
  // The FLOPs run thinner early relative to the size run: (early − late) of the FLOPs run is
  // below the size run's. Relative, because a strong penalty thins every layer of both.
  const early = t.layers.slice(0, 2);
  const late = t.layers.slice(-2);
  const tilt = (alive: Record<string, number>) =>
    fraction(alive, seedWidths, early) - fraction(alive, seedWidths, late);
  const [flopsTilt, sizeTilt] = [tilt(t.flops.alive), tilt(t.size.alive)];
  console.log(`twin after ${STEPS} steps: flops`, t.flops.alive, 'size', t.size.alive, {
    flopsTilt,
    sizeTilt,
  });
  expect(flopsTilt).toBeLessThan(sizeTilt);
  // And the FLOPs run keeps less of the early layers than the size run does.
  expect(fraction(t.flops.alive, seedWidths, early)).toBeLessThan(fraction(t.size.alive, seedWidths, early));

  // The page says so, in words computed from the same numbers.
  await expect(twin.getByRole('status', { name: 'Twin reading' })).toContainText('as in the paper');
  await expect(twin.getByRole('table', { name: 'Alive fraction per layer' }).getByRole('row')).toHaveCount(7);

  // Both are saved runs (src/state/runs' IndexedDB store), named for the twin and grouped.
  const twinRuns = () =>
    page.evaluate(
      () =>
        new Promise<{ name: string; target: string; step: number; group: string | null }[]>(
          (resolve, reject) => {
            const open = indexedDB.open('morphnet-studio');
            open.onerror = () => reject(new Error(String(open.error)));
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('runs')) return resolve([]);
              const req = db.transaction('runs').objectStore('runs').getAll();
              req.onerror = () => reject(new Error(String(req.error)));
              req.onsuccess = () => {
                type Row = {
                  origin: string;
                  name: string;
                  settings: { target: string };
                  step: number;
                  group: string | null;
                };
                const rows = (req.result as Row[]).filter((r) => r.origin === 'twin');
                db.close();
                resolve(
                  rows.map((r) => ({
                    name: r.name,
                    target: r.settings.target,
                    step: r.step,
                    group: r.group,
                  })),
                );
              };
            };
          },
        ),
    );
  await expect
    .poll(async () => (await twinRuns()).map((r) => [r.name, r.target, r.step]).sort(), {
      message: 'both twin runs are saved',
    })
    .toEqual([
      ['Twin · FLOPs', 'flops', STEPS],
      ['Twin · size', 'size', STEPS],
    ]);
  const groups = new Set((await twinRuns()).map((r) => r.group));
  expect(groups.size).toBe(1);

  await twin.screenshot({ path: '/tmp/twin-section.png' });
});
