// The twin's buttons, the pair of targets it trains and its step count. Every control has an accessible name and a tooltip.
import { useState } from 'react';
import {
  pauseTwin,
  rejectTwinSteps,
  resumeTwin,
  setTwinPair,
  setTwinSteps,
  startTwin,
  stopTwin,
} from '../../state/twin/controller.ts';
import { pairTitle, runLabel } from '../../state/twin/labels.ts';
import {
  pairFromKey,
  pairKey,
  parseTwinSteps,
  TWIN_PAIRS,
  TWIN_STEP_LIMITS,
  type TwinPair,
  type TwinPhase,
} from '../../state/twin/store.ts';

export function TwinControls(props: { phase: TwinPhase; steps: number; pair: TwinPair }) {
  const { phase, steps, pair } = props;
  const [text, setText] = useState(String(steps));
  const active = phase === 'starting' || phase === 'training' || phase === 'paused';

  const commit = (value: string) => {
    const parsed = parseTwinSteps(value);
    if ('error' in parsed) rejectTwinSteps(parsed.error);
    else setTwinSteps(parsed.steps);
    return 'error' in parsed ? null : parsed.steps;
  };

  return (
    <div className="twin-controls button-row">
      <button
        type="button"
        className="primary"
        onClick={() => {
          const n = commit(text);
          if (n !== null) startTwin(n);
        }}
        title={`Train a ${runLabel(pair[0])} and a ${runLabel(pair[1])} of this network from the same seed, side by side (pauses the main run)`}
      >
        {active ? 'Restart twin run' : 'Twin run'}
      </button>
      <button
        type="button"
        disabled={phase !== 'training' && phase !== 'paused'}
        onClick={phase === 'paused' ? resumeTwin : pauseTwin}
        title={phase === 'paused' ? 'Go on training both twin runs' : 'Pause both twin runs'}
      >
        {phase === 'paused' ? 'Resume twin' : 'Pause twin'}
      </button>
      <button
        type="button"
        disabled={!active}
        onClick={stopTwin}
        title="Stop both twin runs and free their workers; what they learned stays shown"
      >
        Stop twin
      </button>
      <label className="twin-pair" title="The two targets the twin compares (for the next twin started)">
        Compare
        <select
          aria-label="Twin targets"
          value={pairKey(pair)}
          disabled={active}
          onChange={(e) => {
            const next = pairFromKey(e.target.value);
            if (next) setTwinPair(next);
          }}
        >
          {TWIN_PAIRS.map((p) => (
            <option key={pairKey(p)} value={pairKey(p)}>
              {pairTitle(p)}
            </option>
          ))}
        </select>
      </label>
      <label className="twin-steps" title="How many steps each twin run trains (the same for both)">
        Steps
        <input
          type="number"
          inputMode="numeric"
          min={TWIN_STEP_LIMITS.min}
          max={TWIN_STEP_LIMITS.max}
          value={text}
          aria-label="Twin steps"
          onChange={(e) => setText(e.target.value)}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit(e.currentTarget.value);
          }}
        />
      </label>
    </div>
  );
}
