// The trade-off chart (issue 4) as a person uses it: the default sweep, importing a sweep file,
// switching the cost axis, opening a point's structure, a broken file, a reload. No training: the
// points come from a real sweep `morphnet sweep` wrote (e2e/fixtures/tradeoff/).
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';

const FIXTURE = new URL('./fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url);
const fixtureText = readFileSync(FIXTURE, 'utf8');
/** The Fashion-MNIST sweep the page ships (npm run results rewrites it): what the chart must draw. */
const shippedFashion = JSON.parse(
  readFileSync(new URL('../public/sweeps/resnet-mini-fashion-flops.json', import.meta.url), 'utf8'),
) as { settings: { seeds?: number[] }; points: { family: string; label: string; seeds?: unknown[] }[] };
const shipped = (family: string) => shippedFashion.points.filter((p) => p.family === family).length;
/** The default sweep is served by the test: the fixture's uniform points only, to tell the two apart. */
const defaultText = (() => {
  const v = JSON.parse(fixtureText) as { points: { family: string }[] };
  v.points = v.points.filter((p) => p.family === 'uniform');
  return JSON.stringify(v);
})();

/** The page object for the trade-off section: locators by role and name. */
class TradeoffSection {
  readonly root: Locator;
  readonly chart: Locator;
  readonly points: Locator;
  readonly fileInput: Locator;
  readonly origin: Locator;
  readonly error: Locator;
  readonly detail: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: /^Trade-off/ });
    this.chart = this.root.getByRole('figure');
    this.points = this.chart.getByRole('button');
    this.fileInput = this.root.getByLabel('Import sweep file', { exact: true });
    this.origin = this.root.locator('.tradeoff-origin');
    this.error = this.root.getByRole('alert');
    this.detail = this.root.getByRole('region', { name: 'Selected point' });
  }

  family(name: 'uniform' | 'pruning' | 'morphnet'): Locator {
    return this.chart.locator(`[role="button"][data-family="${name}"]`);
  }

  point(name: RegExp): Locator {
    return this.chart.getByRole('button', { name });
  }

  /** Each point's centre on screen, in the chart's order. */
  async xs(): Promise<number[]> {
    const boxes = await Promise.all((await this.points.all()).map((p) => p.boundingBox()));
    return boxes.map((b) => Math.round((b?.x ?? NaN) + (b?.width ?? NaN) / 2));
  }

  importText(name: string, text: string) {
    return this.fileInput.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  }
}

test('imports a sweep file, switches the axis, shows a structure, refuses a broken file, survives a reload', async ({
  page,
}) => {
  await page.route('**/sweeps/resnet-mini-mnist-flops.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: defaultText }),
  );
  // The trade-off section needs no network built: the fast settings only keep the worker light.
  await page.goto('/?dataset=shapes&net=plain-cnn&batch=4');
  const t = new TradeoffSection(page);

  // The default sweep from the page's own origin.
  await expect(t.origin).toHaveText('Showing the default sweep resnet-mini-mnist-flops.json');
  await expect(t.points).toHaveCount(4);
  await expect(t.root.getByRole('button', { name: 'Back to the default' })).toHaveCount(0);
  // The other bundled sweep (npm run results writes one per dataset), and back.
  const bundled = t.root.getByRole('combobox', { name: 'Bundled sweep' });
  await bundled.selectOption({ label: 'resnet-mini on Fashion-MNIST' });
  await expect(t.origin).toHaveText('Showing the default sweep resnet-mini-fashion-flops.json');
  await expect(t.chart).toContainText('resnet-mini on fashion');
  // Every point of the shipped file, each with several seeds (docs/RESULTS.md) drawing their range
  // and saying it in its name.
  expect(shippedFashion.settings.seeds).toEqual([1, 2, 3]);
  expect(shipped('uniform')).toBeGreaterThanOrEqual(3);
  await expect(t.family('uniform')).toHaveCount(shipped('uniform'));
  await expect(t.family('pruning')).toHaveCount(shipped('pruning'));
  await expect(t.family('morphnet')).toHaveCount(shipped('morphnet'));
  await expect(t.chart.locator('.viz-tradeoff-spread')).toHaveCount(
    shippedFashion.points.filter((p) => (p.seeds?.length ?? 0) > 1).length,
  );
  await expect(t.point(/^MorphNet strength 10, budget 50%: .*, mean of 3 seeds \(/)).toHaveCount(1);
  await bundled.selectOption({ label: 'resnet-mini on MNIST' });
  await expect(t.points).toHaveCount(4);

  // Import the real sweep: three families, each with its own legend entry.
  await t.importText('plain-cnn-shapes.json', fixtureText);
  await expect(t.origin).toHaveText('Showing imported plain-cnn-shapes.json');
  await expect(t.points).toHaveCount(10);
  await expect(t.family('uniform')).toHaveCount(4);
  await expect(t.family('pruning')).toHaveCount(2);
  await expect(t.family('morphnet')).toHaveCount(4);
  const legend = t.chart.getByRole('list', { name: 'Legend' });
  await expect(legend).toContainText('uniform width multiplier');
  await expect(legend).toContainText('magnitude pruning');
  await expect(legend).toContainText('MorphNet');
  await expect(t.chart).toContainText('FLOPs per example (log scale)');
  // The summary is computed from the file: strength 8 against the uniform curve at 19.7M FLOPs.
  await expect(t.root.getByTestId('tradeoff-headline')).toContainText(
    'At 19.7M FLOPs, MorphNet (strength 8)',
  );
  await expect(t.root.locator('.tradeoff-command')).toContainText(
    'npx morphnet sweep --spec plain-cnn --dataset shapes --target flops --steps 20',
  );

  // A tooltip on hover with the point's numbers.
  await t.point(/^uniform width multiplier ×0\.5:/).hover();
  await expect(t.root.getByRole('tooltip')).toHaveText(
    /×0\.5.*17\.4% test accuracy.*5\.16M FLOPs · 18\.3k params/,
  );

  // Parameters instead of FLOPs: the points move sideways (the same networks, another cost).
  const byFlops = await t.xs();
  const s8 = t.point(/^MorphNet strength 8:/);
  // The seed line marks the seed's true cost (coincident markers are drawn side by side).
  const seedLine = t.chart.locator('svg.viz-svg line.viz-tradeoff-seed');
  const centre = async (l: Locator) => {
    const b = await l.boundingBox();
    return (b?.x ?? NaN) + (b?.width ?? NaN) / 2;
  };
  const flopsGap = (await centre(s8)) - (await centre(seedLine));
  await t.root.getByRole('radio', { name: 'parameters' }).check();
  await expect(t.chart).toContainText('parameters (log scale)');
  await expect.poll(async () => (await t.xs()).filter((x, i) => x !== byFlops[i]).length).toBeGreaterThan(5);
  // Strength 8 costs the seed's FLOPs (19.7M against 19.8M) but 5% more parameters.
  expect(Math.abs(flopsGap)).toBeLessThan(2);
  expect((await centre(s8)) - (await centre(seedLine))).toBeGreaterThan(4);

  // Clicking a point shows its structure against the seed and its numbers.
  await expect(t.detail).toHaveCount(0);
  await t.point(/^MorphNet strength 8, budget 50%:/).click();
  await expect(t.detail.getByRole('heading')).toHaveText('MorphNet strength 8, budget 50%');
  await expect(t.detail).toContainText('19.1%');
  await expect(t.detail).toContainText('9.62M');
  await expect(t.detail.getByLabel('conv2: 9/16 channels')).toBeVisible();
  await expect(t.detail.getByLabel('conv5: 47/64 channels')).toBeVisible();
  // Identical networks (MorphNet strength 2 at budget 1 is the seed again) are both clickable.
  await t.point(/^MorphNet strength 2:/).click();
  await expect(t.detail.getByRole('heading')).toHaveText('MorphNet strength 2');
  await t.point(/^uniform width multiplier ×1:/).click();
  await expect(t.detail.getByRole('heading')).toHaveText('uniform width multiplier ×1');
  // Enter on another focused point selects that one.
  await t.point(/^magnitude pruning 50%:/).focus();
  await page.keyboard.press('Enter');
  await expect(t.detail.getByRole('heading')).toHaveText('magnitude pruning 50%');
  await expect(t.detail.getByLabel('conv2: 8/16 channels')).toBeVisible();

  // A broken file: one line naming the file and the field; the chart is as it was.
  const broken = JSON.parse(fixtureText) as { points: Record<string, unknown>[] };
  broken.points[3]!['testAccuracy'] = 1.5;
  await t.importText('broken.json', JSON.stringify(broken));
  await expect(t.error).toHaveText(
    'broken.json: points[3] (×1): testAccuracy: expected a number in [0, 1], got 1.5',
  );
  await expect(t.points).toHaveCount(10);
  await expect(t.origin).toHaveText('Showing imported plain-cnn-shapes.json');
  await expect(t.detail.getByRole('heading')).toHaveText('magnitude pruning 50%');
  await t.importText('not-json.json', '{"format": "morphnet-sweep",');
  await expect(t.error).toHaveText(/^not-json\.json: not valid JSON: [^\n]+$/);

  // A reload shows the imported sweep again, from IndexedDB.
  await page.reload();
  await expect(t.origin).toHaveText('Showing imported plain-cnn-shapes.json');
  await expect(t.points).toHaveCount(10);
  await expect(t.error).toHaveCount(0);

  // Back to the default forgets the import, also for the next reload.
  await t.root.getByRole('button', { name: 'Back to the default' }).click();
  await expect(t.origin).toHaveText('Showing the default sweep resnet-mini-mnist-flops.json');
  await expect(t.points).toHaveCount(4);
  await page.reload();
  await expect(t.points).toHaveCount(4);
  await expect(t.origin).toHaveText('Showing the default sweep resnet-mini-mnist-flops.json');
});

test("measures the page network's trade-off in the background, charts it and keeps it", async ({ page }) => {
  // On tfjs's cpu backend: the queue builds four networks, and SwiftShader's WebGPU compiles shaders
  // for each (about 4 min here). What is tested is the queue, the chart and the cache; pruning's
  // engine side is tested in Node (src/worker/handler.engine.test.ts).
  await page.goto('/?backend=cpu&dataset=shapes&net=plain-cnn&batch=4');
  const t = new TradeoffSection(page);
  const queue = page.getByRole('region', { name: "Measure this page's network" });
  await expect(queue).toContainText('Trains plain-cnn on shapes');
  const measure = queue.getByRole('button', { name: 'Measure the trade-off' });
  await expect(measure).toBeEnabled();
  const fill = (label: string, value: string) => queue.getByLabel(label, { exact: true }).fill(value);
  const smallGrid = async () => {
    for (const [label, value] of [
      ['Steps per network', '2'],
      ['Multipliers', '0.5'],
      ['Pruning fractions', '0.5'],
      ['Fine-tuning steps', '1'],
      ['MorphNet strengths', '5'],
      ['Budgets', '0.5'],
    ] as const)
      await fill(label, value);
  };

  // A bad entry is one line naming the field and starts nothing.
  await fill('Pruning fractions', '0.5, 2');
  await measure.click();
  await expect(queue.getByRole('alert')).toHaveText(
    'Pruning fractions: expected numbers in [0, 1] separated by commas (or nothing), got "2"',
  );
  await expect(queue.getByRole('progressbar')).toHaveCount(0);

  // One network of each family: ×0.5; the seed pruned by half; MorphNet expanded to half the FLOPs.
  await smallGrid();
  // 2 steps for ×0.5, 2 + 1 for the pruned seed, 2 to learn + 2 to retrain for MorphNet.
  await expect(queue.getByTestId('queue-estimate')).toContainText(
    '3 points to measure: 9 training steps and 5 networks to build',
  );
  await measure.click();
  await expect(queue.getByRole('alert')).toHaveCount(0);
  await expect(queue.getByRole('progressbar', { name: 'Trade-off queue' })).toBeVisible();
  await expect(queue.getByRole('status')).toContainText('uniform ×0.5 (1 of 3 points)');
  // The chart switched to this page's network and fills in as points arrive.
  await expect(t.root.getByRole('radio', { name: /this page's network/ })).toBeChecked();
  const rows = queue.locator('tbody tr');
  await expect(rows).toHaveCount(3, { timeout: 240_000 });
  await expect(measure).toBeVisible();
  // Costs from the cost model: ×0.5 and pruning half the filters give the same network size.
  await expect(rows.nth(0)).toContainText(/uniform\s*×0\.5\s*5\.16M/);
  await expect(rows.nth(1)).toContainText(/pruning\s*50%\s*5\.16M/);
  await expect(rows.nth(1)).toContainText('2 + 1');
  await expect(rows.nth(2)).toContainText('strength 5, budget 50%');
  await expect(t.points).toHaveCount(3);
  await expect(t.family('pruning')).toHaveCount(1);
  await expect(t.family('morphnet')).toHaveCount(1);
  // MorphNet's point: expanded to at most half the seed's 19.8M FLOPs.
  await t.point(/^MorphNet strength 5, budget 50%:/).click();
  await expect(t.detail.getByRole('heading')).toHaveText('MorphNet strength 5, budget 50%');
  const flops = Number((await t.detail.textContent())?.match(/([\d.]+)M\s*(\d+)% of the seed/)?.[2]);
  expect(flops).toBeGreaterThan(35);
  expect(flops).toBeLessThanOrEqual(50);

  // A reload shows them from IndexedDB, and measuring the same grid again trains nothing.
  await page.reload();
  await expect(queue.locator('tbody tr')).toHaveCount(3);
  await t.root.getByRole('radio', { name: /this page's network \(3 points\)/ }).check();
  await expect(t.points).toHaveCount(3);
  // The grid is the one measured last, and all of it is kept.
  await expect(queue.getByLabel('Steps per network', { exact: true })).toHaveValue('2');
  await expect(queue.getByLabel('Pruning fractions', { exact: true })).toHaveValue('0.5');
  await expect(queue.getByTestId('queue-estimate')).toHaveText('Every point asked for is measured already.');
  await measure.click();
  await expect(queue.getByRole('progressbar')).toHaveCount(0);
  await expect(queue.locator('tbody tr')).toHaveCount(3);
  // Back to the sweep file.
  await t.root.getByRole('radio', { name: 'the sweep file' }).check();
  await expect(t.origin).toHaveText('Showing the default sweep resnet-mini-mnist-flops.json');
});
