// Leaving the recording: "Train it yourself" starts the recorded settings live, and "Watch a
// recorded run" on a live page pauses the live run first. The page's entry registers how the live
// studio starts (it owns the worker), so this layer never creates a worker itself.
import { setSetting, toggleTraining } from '../actions.ts';
import { useStudio } from '../store.ts';
import { DEFAULTS, type StudioSettings } from '../url.ts';
import { closeReplay, openReplay, useReplay } from './store.ts';

interface LivePort {
  /** Whether the live studio (its worker) has been started on this page. */
  started(): boolean;
  /** Starts it from the settings in the address bar. */
  start(): void;
  readQuery(): string;
  /** Writes the address bar's query (the settings, without `replay`). */
  writeQuery(search: string): void;
}

let port: LivePort | null = null;
export function registerLivePort(p: LivePort): void {
  port = p;
}

/** The recording's settings as the studio's, the target being the run on screen. */
export function recordedSettings(): StudioSettings | null {
  const s = useReplay.getState();
  const r = s.recording;
  if (!r) return null;
  const net =
    r.settings.net === 'resnet-mini' || r.settings.net === 'plain-cnn' || r.settings.net === 'inception-mini'
      ? r.settings.net
      : DEFAULTS.net;
  const dataset = r.settings.dataset === 'fashion' ? 'fashion' : 'mnist';
  const { strength, threshold, lr, batch, seed } = r.settings;
  return {
    ...useStudio.getState().settings,
    net,
    dataset,
    strength,
    threshold,
    lr,
    batch,
    seed,
    target: s.shown,
  };
}

/** Opens the recording over a live page: the live run is paused, never thrown away. */
export function watchRecording(): void {
  if (useStudio.getState().running) toggleTraining();
  void openReplay();
}

/** Trains the recorded settings live, training as soon as the network is ready. */
export function trainItYourself(): void {
  const settings = recordedSettings();
  closeReplay();
  if (!port || !settings) return;
  if (!port.started()) {
    // The page's other keys (present, hide, test) stay; the recording's settings replace the link's.
    const params = new URLSearchParams(port.readQuery());
    params.delete('replay');
    for (const k of Object.keys(DEFAULTS)) params.delete(k);
    for (const [k, v] of Object.entries(settings) as [keyof StudioSettings, unknown][]) {
      if (v !== DEFAULTS[k]) params.set(k, String(v));
    }
    const q = params.toString();
    port.writeQuery(q === '' ? '' : `?${q}`);
    port.start();
  } else {
    for (const k of Object.keys(settings) as (keyof StudioSettings)[]) {
      setSetting(k, settings[k] as never);
    }
  }
  const go = () => {
    const s = useStudio.getState();
    if (s.ready && !s.running) {
      toggleTraining();
      return true;
    }
    return s.running;
  };
  if (go()) return;
  const unsubscribe = useStudio.subscribe(() => {
    if (go()) unsubscribe();
  });
}
