// The page object for the studio: locators by role and name, and the test API for state.
import { expect, type Locator, type Page } from '@playwright/test';
import type { StudioTestState, TestFault } from '../src/ui/testApi.ts';

export class StudioPage {
  readonly backend: Locator;
  readonly train: Locator;
  readonly pause: Locator;
  readonly step: Locator;
  readonly reset: Locator;
  readonly expand: Locator;
  readonly dialog: Locator;
  readonly histograms: Locator;
  readonly structure: Locator;
  readonly controls: Locator;
  /** The banner of a fault the page recovered from (divergence, a lost device, a dead worker). */
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.backend = page.getByRole('status', { name: 'Backend' });
    this.train = page.getByRole('button', { name: 'Train', exact: true });
    this.pause = page.getByRole('button', { name: 'Pause', exact: true });
    this.step = page.getByRole('button', { name: 'Step', exact: true });
    this.reset = page.getByRole('button', { name: 'Reset', exact: true });
    this.expand = page.getByRole('button', { name: /^Expand/ });
    this.dialog = page.getByRole('dialog', { name: 'Expand' });
    this.histograms = page.getByRole('region', { name: 'Gamma histograms' });
    this.structure = page.getByRole('region', { name: 'Structure' });
    this.controls = page.getByRole('complementary', { name: 'Controls' });
    this.notice = page.getByRole('alert', { name: 'What happened' });
  }

  /** Opens the studio with URL settings (the fast ones the tests need). */
  async goto(settings: Record<string, string | number>) {
    const query = new URLSearchParams(Object.entries(settings).map(([k, v]) => [k, String(v)]));
    await this.page.goto(`/?${query.toString()}`);
    await expect
      .poll(() => this.state().then((s) => s.ready && s.cost !== null), {
        message: 'the network is built and read',
      })
      .toBe(true);
    await expect(this.histograms).toContainText('alive');
  }

  state(): Promise<StudioTestState> {
    return this.page.evaluate(() => {
      if (!window.__studio) throw new Error('no test API on the page');
      return window.__studio.getState();
    });
  }

  /** Waits until the test API's value passes `check`, and returns that state. */
  async waitFor(message: string, check: (s: StudioTestState) => boolean): Promise<StudioTestState> {
    let last: StudioTestState | undefined;
    await expect
      .poll(
        async () => {
          last = await this.state();
          return check(last);
        },
        { message },
      )
      .toBe(true);
    return last!;
  }

  /**
   * Pauses and waits until the worker has stopped, not only the button: the page shows paused at
   * once, yet steps the worker sent before it read the pause still arrive (a busy machine can hold
   * a dozen). Stopped means the worker's own pause checkpoint is at the step on screen and that
   * step stays the same for a second.
   */
  async pauseAndSettle(
    message: string,
    check: (s: StudioTestState) => boolean = () => true,
  ): Promise<StudioTestState> {
    await this.pause.click();
    let settled: StudioTestState | undefined;
    await expect
      .poll(
        async () => {
          const first = await this.state();
          if (first.running || first.checkpointStep !== first.step || !check(first)) return false;
          await this.page.waitForTimeout(1_000);
          const again = await this.state();
          if (again.running || again.step !== first.step || !check(again)) return false;
          settled = again;
          return true;
        },
        { message },
      )
      .toBe(true);
    return settled!;
  }

  /** Injects a fault through the test API (the worker honours it only under test: e2e/helpers.ts underTest). */
  fault(action: TestFault): Promise<void> {
    return this.page.evaluate((a) => {
      if (!window.__studio) throw new Error('no test API on the page');
      window.__studio.fault(a);
    }, action);
  }

  target(name: 'FLOPs' | 'Model size'): Locator {
    return this.page.getByRole('radio', { name, exact: true });
  }
}
