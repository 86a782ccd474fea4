// The recorded run on screen: a banner that says it is a recording, the timeline (play, pause,
// speed, drag or keys to any step), the run switch, "Train it yourself", and the recorded views.
// Keys on the player (Space or K play/pause, arrows and Home/End on the timeline) stay here, so
// the live page's Space (train/pause) never fires under a recording.
import { useId, type KeyboardEvent } from 'react';
import { trainItYourself } from '../../state/replay/live.ts';
import {
  closeReplay,
  openReplay,
  RECORDINGS,
  sourceFor,
  seek,
  setSpeed,
  showRun,
  SPEEDS,
  togglePlay,
  useReplay,
  type Speed,
} from '../../state/replay/store.ts';
import { ReplayMain, ReplayTwin } from './ReplayViews.tsx';

export function ReplayPlayer() {
  const s = useReplay();
  const speedId = useId();
  const recordingId = useId();
  if (!s.active) return null;
  if (s.loading || !s.recording) {
    return (
      <section className="card replay-bar" aria-label="Recorded run">
        <p role={s.error ? 'alert' : 'status'}>{s.error ?? 'Loading the recorded run…'}</p>
        <button type="button" className="secondary" onClick={closeReplay}>
          Close the recording
        </button>
      </section>
    );
  }
  const r = s.recording;
  const run = r.runs[s.shown];
  const frames = run.frames;
  const frame = frames[s.index] ?? frames[0]!;
  const last = frames[frames.length - 1]!;
  const onKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const key = e.key.toLowerCase();
    const onButton = e.target instanceof HTMLButtonElement || e.target instanceof HTMLSelectElement;
    if ((key === ' ' && !onButton) || key === 'k') {
      togglePlay();
      e.preventDefault();
    }
    // Space on a button presses it; either way the live page's shortcut must not see it.
    if (key === ' ') e.stopPropagation();
  };
  return (
    <>
      <section className="card replay-bar" aria-label="Recorded run" onKeyDown={onKey} data-recording="true">
        <div className="replay-head">
          <span className="replay-badge">Recording</span>
          <p>
            A run recorded earlier ({r.settings.net} on{' '}
            {r.settings.dataset === 'fashion' ? 'Fashion-MNIST' : 'MNIST'}, strength {r.settings.strength},
            seed {r.settings.seed}): nothing is training now.
          </p>
        </div>
        <div className="replay-controls">
          <button
            type="button"
            className="primary"
            onClick={togglePlay}
            aria-keyshortcuts="K"
            title="Play or pause the recording (Space or K)"
          >
            {s.playing ? 'Pause' : 'Play'}
          </button>
          <label className="replay-timeline">
            <span>Timeline</span>
            <input
              type="range"
              aria-label="Timeline"
              min={0}
              max={frames.length - 1}
              step={1}
              value={s.index}
              aria-valuetext={`step ${frame.step} of ${last.step}`}
              onChange={(e) => seek(Number(e.currentTarget.value))}
            />
          </label>
          <output className="replay-step" aria-live="off">
            step {frame.step} / {last.step}
          </output>
          <label htmlFor={speedId}>Speed</label>
          <select
            id={speedId}
            value={s.speed}
            onChange={(e) => setSpeed(Number(e.currentTarget.value) as Speed)}
          >
            {SPEEDS.map((v) => (
              <option key={v} value={v}>
                ×{v}
              </option>
            ))}
          </select>
          {RECORDINGS.length > 1 && (
            <>
              <label htmlFor={recordingId}>Dataset</label>
              <select
                id={recordingId}
                value={RECORDINGS.find((x) => s.source?.endsWith(x.file))?.file}
                onChange={(e) => void openReplay(sourceFor(e.currentTarget.value))}
              >
                {RECORDINGS.map((x) => (
                  <option key={x.file} value={x.file}>
                    {x.label}
                  </option>
                ))}
              </select>
            </>
          )}
          <div className="replay-runs" role="group" aria-label="Run shown">
            {(['flops', 'size'] as const).map((t) => (
              <button
                key={t}
                type="button"
                className="secondary"
                aria-pressed={s.shown === t}
                onClick={() => showRun(t)}
              >
                {t === 'flops' ? 'FLOPs target' : 'Size target'}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="primary"
            onClick={trainItYourself}
            title="Train these settings live on this page"
          >
            Train it yourself
          </button>
          <button type="button" className="secondary" onClick={closeReplay}>
            Close the recording
          </button>
        </div>
      </section>
      <ReplayMain recording={r} run={run} index={s.index} />
      <ReplayTwin recording={r} index={s.index} />
    </>
  );
}

/** Shown on a live page: the way into the recording, first thing on the page. */
export function WatchRecordingButton(props: { onWatch: () => void }) {
  const active = useReplay((s) => s.active);
  if (active) return null;
  return (
    <div className="watch-recording">
      <button type="button" className="primary" onClick={props.onWatch}>
        Watch a recorded run
      </button>
      <span className="small muted">
        No training, no wait: a FLOPs and a size run from one start, recorded.
      </span>
    </div>
  );
}
