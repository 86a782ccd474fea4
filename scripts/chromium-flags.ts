// The flags every headless Chromium of this project starts with (/work/shared/BROWSER.md): the e2e
// tests (playwright.config.ts), the benchmark (bench/browser.ts) and the viz previews. Without
// the background-networking flags Chromium floods refused connections on these machines.
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
