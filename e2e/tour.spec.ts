// The guided tour by keyboard only: `?tour=1` opens it with focus on the dialog, → walks all seven
// steps (each outlines its part of the page), ← goes back, Escape leaves, and after a reload the
// link and "Resume tour" come back to the same step, and Done after the last step ends it.
import { expect, test, type Page } from '@playwright/test';
import { TOUR_STEPS } from '../src/ui/tour/steps.ts';
import { FAST } from './helpers.ts';
import { StudioPage } from './studio.page.ts';

async function expectStep(page: Page, n: number) {
  const step = TOUR_STEPS[n]!;
  const dialog = page.getByRole('dialog', { name: step.title });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Step ${n + 1} of ${TOUR_STEPS.length}`);
  await expect(dialog).toHaveAttribute('aria-modal', 'false');
  await expect(page.locator(`[data-tour="${step.target}"]`).first()).toHaveClass(/tour-highlight/);
  await expect(page.locator('.tour-highlight')).toHaveCount(1);
}

test('the tour walks all its steps by keyboard, leaves, resumes and ends', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto({ ...FAST, tour: 1 });
  await expectStep(page, 0);
  await expect(page.getByRole('dialog', { name: TOUR_STEPS[0]!.title })).toBeFocused();

  for (let n = 1; n < TOUR_STEPS.length; n++) {
    await page.keyboard.press('ArrowRight');
    await expectStep(page, n);
  }
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expectStep(page, TOUR_STEPS.length - 3);

  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.locator('.tour-highlight')).toHaveCount(0);
  // Kept across a reload: the `tour=1` link goes on where the class left it, and so does the button.
  await page.reload();
  await expectStep(page, TOUR_STEPS.length - 3);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Resume tour' }).click();
  await expectStep(page, TOUR_STEPS.length - 3);
  await expect(page.getByRole('dialog', { name: TOUR_STEPS[TOUR_STEPS.length - 3]!.title })).toBeFocused();

  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expectStep(page, TOUR_STEPS.length - 1);
  await expect(page.getByRole('button', { name: 'Done' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Take the tour' })).toBeVisible();
  // The training shortcut never fired under the tour.
  expect((await studio.state()).running).toBe(false);
});

test('presenter mode restyles the page, and the classroom link can open the tour', async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.goto({ ...FAST, present: 1 });
  await expect(page.locator('html')).toHaveClass(/\bpresent\b/);
  await expect(page.locator('body')).toHaveCSS('font-size', '19px');
  expect((await studio.state()).invalid).toEqual([]);

  await page.getByText('Export this run').click();
  await page.getByRole('checkbox', { name: 'Start with the guided tour' }).check();
  await page.getByRole('button', { name: 'Classroom link', exact: true }).click();
  const link = await page.getByRole('textbox', { name: /Classroom link/ }).inputValue();
  expect(new URL(link).searchParams.get('tour')).toBe('1');
  await page.goto(link);
  await expectStep(page, 0);
});
