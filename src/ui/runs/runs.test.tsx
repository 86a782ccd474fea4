// The runs panel's words when saving fails, and a row's Resume and fault marks (rendered to
// static markup: no effects run).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { sampleRun } from '../../state/runs/fixture.test-util.ts';
import { summarizeRun } from '../../state/runs/record.ts';
import { RunRow } from './RunRow.tsx';
import { latencyRow } from './RunView.tsx';
import { runLine } from './runText.ts';
import { networkLatency } from '../../morphnet/latency.ts';
import { emptyListText, notSavedText } from './RunsPanel.tsx';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');
const noop = () => {};

describe('RunsPanel', () => {
  it('never says runs are kept when this one could not be saved', () => {
    expect(emptyListText(true, 'This run could not be saved…')).toBe(
      'No run is saved in this browser now (see the notice above).',
    );
    expect(emptyListText(true, null)).toBe('Runs are saved here as they train, and kept when you reload.');
    expect(emptyListText(false, null)).toBe('Reading saved runs…');
    expect(notSavedText(true)).toBe(
      'The run training now is not being saved: the storage is full. Deleting old runs here makes room.',
    );
    expect(notSavedText(false)).toBe(
      'The run training now is not being saved (see the notice above); the runs below are as last saved.',
    );
  });
});

describe('RunRow', () => {
  const faults = [
    { kind: 'diverged' as const, step: 120, restored: 100, message: 'Training diverged at step 120.' },
    { kind: 'crashed' as const, step: 130, restored: null, message: 'The worker stopped.' },
  ];
  it('offers Resume from the saved checkpoint and shows the run’s fault marks', () => {
    const run = { ...summarizeRun(sampleRun({ name: 'r1', faults }), 100) };
    const html = renderToStaticMarkup(<RunRow run={run} current={false} onOpen={noop} onDelete={noop} />);
    expect(html).toContain('aria-label="Resume r1 from step 100"');
    expect(text(html)).toContain('⚠ diverged at step 120, back to step 100 · worker restarted at step 130');
  });

  it('offers no Resume without weights, nor for the run on the page', () => {
    const plain = summarizeRun(sampleRun({ name: 'r2' }));
    expect(
      renderToStaticMarkup(<RunRow run={plain} current={false} onOpen={noop} onDelete={noop} />),
    ).not.toContain('Resume');
    const current = summarizeRun(sampleRun({ name: 'r3' }), 50);
    expect(
      renderToStaticMarkup(<RunRow run={current} current onOpen={noop} onDelete={noop} />),
    ).not.toContain('Resume');
  });
});

describe('a latency run in the list and its details', () => {
  const t4 = { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 4 };
  const base = sampleRun();
  const run = sampleRun({ settings: { ...base.settings, target: 'latency' }, latency: t4 });
  // The run's alive counts priced on the T4 at batch 4, as the cost panel prices them.
  it('shows its predicted latency on its device in the row', () => {
    expect(networkLatency(run.spec, run.alive, t4).latencyNs).toBeCloseTo(14030.15, 2);
    expect(runLine(summarizeRun(run))).toBe(
      'latency target · step 3 · cycle 0 · 90% FLOPs · 14 µs on T4 · test 40.0%',
    );
    expect(runLine(summarizeRun(base))).toBe('FLOPs target · step 3 · cycle 0 · 90% FLOPs · test 40.0%');
  });

  it('names the device, its rates and the batch in the details', () => {
    expect(latencyRow(run)).toEqual([
      ['Latency', `14 µs predicted on T4 (8,100 GFLOP/s, 300 GB/s), batch 4`],
    ]);
    expect(latencyRow(base)).toEqual([]);
  });
});
