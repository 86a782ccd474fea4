// Accessibility of the built page, checked by axe-core (@axe-core/playwright) at the states a
// person sees: idle, after a few training steps, with a twin run and a trade-off point shown, and
// on a 390×844 phone. No serious or critical rule may fail (WCAG 2.2's 24 px target size
// included, which axe leaves off by default). The structure diagram is one tab stop with the
// arrow keys inside it.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

// The DOM does not depend on the backend: tfjs cpu spares the twin's two shader compilations.
const SETTINGS = { ...FAST, backend: 'cpu' };

/** Serious and critical violations, one line each: rule id, count, the first elements. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .options({ rules: { 'target-size': { enabled: true } } })
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

async function expectNoSerious(page: Page, when: string) {
  const found = await seriousViolations(page);
  expect(found, `serious or critical axe rules failing ${when}:\n${found.join('\n')}`).toEqual([]);
}

/** Trains a two-step twin and selects a trade-off point. */
async function showTwinAndTradeoff(page: Page, studio: StudioPage) {
  const twin = page.getByRole('region', { name: /Twin run/ });
  await twin.getByRole('spinbutton', { name: 'Twin steps' }).fill('2');
  await twin.getByRole('button', { name: 'Twin run', exact: true }).click();
  // Minutes on a busy 2-core machine: two more networks train beside the page.
  await expect
    .poll(async () => (await studio.state()).twin, {
      message: 'both twin runs train two steps',
      timeout: 240_000,
    })
    .toMatchObject({ flops: { step: 2 }, size: { step: 2 } });
  await expect(twin.getByRole('table', { name: 'Alive fraction per layer' })).toBeVisible();
  const tradeoff = page.getByRole('region', { name: /^Trade-off/ });
  const point = tradeoff.locator('figure.viz-tradeoff').getByRole('button').first();
  // Enter on a focused point: on a phone a click can land on a neighbour's target.
  await point.focus();
  await page.keyboard.press('Enter');
  await expect(tradeoff.getByRole('region', { name: 'Selected point' })).toBeVisible();
}

test('no serious axe rule fails, idle, trained, with the twin and the trade-off shown', async ({ page }) => {
  test.setTimeout(480_000);
  const studio = new StudioPage(page);
  await studio.goto(SETTINGS);
  await expectNoSerious(page, 'on the idle page');

  await studio.step.click();
  await studio.waitFor('one step taken', (s) => s.step === 1);
  await studio.train.click();
  await studio.waitFor('training advances', (s) => s.step >= 3);
  await studio.pause.click();
  await studio.waitFor('paused', (s) => !s.running);
  await expectNoSerious(page, 'after training');

  await showTwinAndTradeoff(page, studio);
  await expectNoSerious(page, 'with the twin run and a trade-off point shown');
});

test('the structure diagram is one tab stop; the arrow keys move between its layers', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto(SETTINGS);
  const diagram = studio.structure.getByRole('listbox');
  await expect(diagram).toHaveCount(1);
  const layers = diagram.getByRole('option');
  await expect(layers).toHaveCount(6);
  await expect(diagram.locator('[tabindex]')).toHaveCount(0);

  await diagram.focus();
  const activeName = async () => {
    const id = await diagram.getAttribute('aria-activedescendant');
    return page.locator(`[id="${id}"]`).getAttribute('aria-label');
  };
  const tooltip = studio.structure.getByRole('tooltip');
  expect(await activeName()).toBe('conv1: 16/16 channels');
  await expect(tooltip).toContainText('conv1');
  await page.keyboard.press('ArrowUp');
  expect(await activeName()).toBe('conv2: 16/16 channels');
  await expect(tooltip).toContainText('conv2');
  await expect(layers.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  expect(await activeName()).toBe('conv6: 64/64 channels');
  await page.keyboard.press('ArrowUp');
  expect(await activeName()).toBe('conv6: 64/64 channels');
  await page.keyboard.press('ArrowDown');
  expect(await activeName()).toBe('conv5: 64/64 channels');
  await page.keyboard.press('Home');
  expect(await activeName()).toBe('conv1: 16/16 channels');

  // One Tab leaves the whole diagram, and the tooltip goes with the focus.
  await page.keyboard.press('Tab');
  expect(await diagram.evaluate((svg) => svg.contains(document.activeElement))).toBe(false);
  await expect(tooltip).toHaveCount(0);
});

test.describe('on a 390×844 phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('nothing widens the page, the trade-off table scrolls in its box, chart text stays ≥ 11 px', async ({
    page,
  }, info) => {
    test.setTimeout(400_000);
    const studio = new StudioPage(page);
    await studio.goto(SETTINGS);
    await showTwinAndTradeoff(page, studio);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);

    const tradeoff = page.getByRole('region', { name: /^Trade-off/ });
    const table = tradeoff.getByRole('region', { name: /^MorphNet against the baselines/ });
    const box = await table.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.client).toBeLessThanOrEqual(350);
    expect(box.scroll).toBeGreaterThan(box.client);

    // The smallest text of each chart as drawn: its font size times the SVG's scale on screen.
    const smallest = await page.evaluate(() => {
      const out: Record<string, number> = {};
      for (const text of document.querySelectorAll<SVGTextElement>('figure svg text')) {
        const svg = text.ownerSVGElement!;
        const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal.width || 1);
        const px = parseFloat(getComputedStyle(text).fontSize) * scale;
        const chart = svg.closest('figure')!.className;
        out[chart] = Math.min(out[chart] ?? Infinity, Math.round(px * 10) / 10);
      }
      return out;
    });
    for (const [chart, px] of Object.entries(smallest)) expect(px, chart).toBeGreaterThanOrEqual(11);
    expect(Object.keys(smallest)).toContain('viz-tradeoff');

    await tradeoff.screenshot({ path: info.outputPath('tradeoff-390.png') });
    await expectNoSerious(page, 'at 390×844');
  });
});
