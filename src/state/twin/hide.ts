// The page going away (reload, tab closed or hidden): the twin writes both runs at once then.
let listening = false;

/** Calls `onHide` on pagehide and when the tab is hidden; listens once, however often asked. */
export function onPageHide(onHide: () => void): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  const handler = (e: Event) => {
    if (e.type !== 'pagehide' && document.visibilityState !== 'hidden') return;
    onHide();
  };
  window.addEventListener('pagehide', handler);
  document.addEventListener('visibilitychange', handler);
}
