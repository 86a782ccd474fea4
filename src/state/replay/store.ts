// The recorded run's player: its own zustand store, apart from the live run's, so a recording
// never mixes with (or is saved as) a run trained here. Nothing here starts a worker: the page's
// entry (main.tsx) skips starting one when the link opens the recording (`?replay=1`), and
// "Train it yourself" hands over to the live studio through the `goLive` port it registers.
import { create } from 'zustand';
import type { RecordedTarget as Target } from './recording.ts';
import { parseRecording, RecordingError, type RecordedFrame, type Recording } from './recording.ts';

export const SPEEDS = [0.5, 1, 2, 4] as const;
export type Speed = (typeof SPEEDS)[number];
/** Readbacks shown per second at speed 1 (a readback is 10 training steps). */
export const FRAMES_PER_SECOND = 4;
export const DEFAULT_SOURCE = 'recordings/mnist-resnet-mini.json';
/**
 * The recordings that ship in public/recordings/ (npm run assets, the same recipe for each
 * dataset), by file name; with more than one the player offers a choice.
 */
export const RECORDINGS: readonly { file: string; label: string }[] = [
  { file: 'mnist-resnet-mini.json', label: 'MNIST digits' },
  { file: 'fashion-resnet-mini.json', label: 'Fashion-MNIST' },
];

/** Another shipped recording, from the folder the one on screen came from. */
export function sourceFor(
  file: string,
  current: string = useReplay.getState().source ?? DEFAULT_SOURCE,
): string {
  return current.replace(/[^/]*$/, file);
}

export interface ReplayState {
  /** Whether the page shows the recording instead of the live views. */
  active: boolean;
  source: string | null;
  recording: Recording | null;
  loading: boolean;
  error: string | null;
  playing: boolean;
  /** Index of the frame on screen, in both runs (they share their readback steps). */
  index: number;
  speed: Speed;
  /** The run the main views show; the twin view shows both. */
  shown: Target;
}

const initial: ReplayState = {
  active: false,
  source: null,
  recording: null,
  loading: false,
  error: null,
  playing: false,
  index: 0,
  speed: 1,
  shown: 'flops',
};

export const useReplay = create<ReplayState>(() => ({ ...initial }));

let timer: ReturnType<typeof setInterval> | null = null;
type Fetcher = (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

function stopTimer(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

export function frameCount(): number {
  return useReplay.getState().recording?.runs.flops.frames.length ?? 0;
}

/** The frame on screen of one run, or null before the recording has loaded. */
export function currentFrame(target: Target, s: ReplayState = useReplay.getState()): RecordedFrame | null {
  return s.recording?.runs[target].frames[s.index] ?? null;
}

function startTimer(): void {
  stopTimer();
  const { speed } = useReplay.getState();
  timer = setInterval(
    () => {
      const s = useReplay.getState();
      const last = frameCount() - 1;
      if (s.index >= last) {
        stopTimer();
        useReplay.setState({ playing: false });
      } else useReplay.setState({ index: s.index + 1 });
    },
    1000 / (FRAMES_PER_SECOND * speed),
  );
}

/** Opens the recording and plays it from the start; `fetcher` is for tests. */
export async function openReplay(
  source: string = DEFAULT_SOURCE,
  fetcher: Fetcher = (u) => fetch(u),
): Promise<void> {
  stopTimer();
  useReplay.setState({ ...initial, active: true, source, loading: true });
  try {
    const res = await fetcher(source);
    if (!res.ok) throw new RecordingError(`the recording could not be loaded (HTTP ${res.status})`);
    const recording = parseRecording(await res.json());
    if (useReplay.getState().source !== source) return;
    useReplay.setState({ recording, loading: false });
    play();
  } catch (e) {
    const message = e instanceof RecordingError ? e.message : 'the recording could not be read';
    useReplay.setState({ loading: false, error: `Recorded run: ${message}.` });
  }
}

export function play(): void {
  const s = useReplay.getState();
  if (!s.recording) return;
  // Play at the end starts over, as a video player does.
  if (s.index >= frameCount() - 1) useReplay.setState({ index: 0 });
  useReplay.setState({ playing: true });
  startTimer();
}

export function pause(): void {
  stopTimer();
  useReplay.setState({ playing: false });
}

export function togglePlay(): void {
  if (useReplay.getState().playing) pause();
  else play();
}

/** Moves to a frame (clamped); a drag or a key pauses nothing: playing goes on from there. */
export function seek(index: number): void {
  const last = Math.max(0, frameCount() - 1);
  useReplay.setState({ index: Math.min(last, Math.max(0, Math.round(index))) });
}

export function setSpeed(speed: Speed): void {
  useReplay.setState({ speed });
  if (useReplay.getState().playing) startTimer();
}

export function showRun(shown: Target): void {
  useReplay.setState({ shown });
}

export function closeReplay(): void {
  stopTimer();
  useReplay.setState({ ...initial });
}

/** What the test API reports: null when no recording is on screen. */
export function replayTestState(): { playing: boolean; step: number; steps: number; source: string } | null {
  const s = useReplay.getState();
  if (!s.active || !s.recording || s.source === null) return null;
  const frames = s.recording.runs[s.shown].frames;
  return {
    playing: s.playing,
    step: frames[s.index]?.step ?? 0,
    steps: frames[frames.length - 1]?.step ?? 0,
    source: s.source,
  };
}
