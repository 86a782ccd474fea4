import { describe, expect, it } from 'vitest';
import { judge, type Sample, type SeriesInfo } from './judge.ts';
import { mergeRuns, renderReliability, shellArg, spread, type SoakPart, type SoakRun } from './report.ts';

const TENSORS: SeriesInfo = { key: 'tensors', label: 'tensors', unit: 'count', bound: { kind: 'flat' } };
const HEAP: SeriesInfo = {
  key: 'heap',
  label: 'heap',
  unit: 'bytes',
  bound: { kind: 'within', limit: 20 * 2 ** 20 },
};
const GPU: SeriesInfo = { key: 'gpu', label: 'gpu', unit: 'bytes', bound: { kind: 'no-growth' } };
const MB = 2 ** 20;

const samples = (rows: [number, Record<string, number>][]): Sample[] =>
  rows.map(([step, values], i) => ({ step, t: i * 10, values }));

describe('judge', () => {
  it('holds a flat series flat after warm-up, ignoring what came before it', () => {
    const s = samples([
      [0, { tensors: 48 }],
      [100, { tensors: 68 }],
      [200, { tensors: 68 }],
      [300, { tensors: 68 }],
    ]);
    const j = judge(s, 100, TENSORS);
    expect([j.ok, j.reason, j.base?.step, j.last?.step, j.max]).toEqual([
      true,
      '68 at all 3 samples',
      100,
      300,
      68,
    ]);
  });

  it('names the first sample that leaves a flat series', () => {
    const s = samples([
      [100, { tensors: 68 }],
      [200, { tensors: 68 }],
      [300, { tensors: 69 }],
      [400, { tensors: 70 }],
    ]);
    expect(judge(s, 100, TENSORS)).toMatchObject({
      ok: false,
      reason: '69 at step 300, 68 at warm-up',
      max: 70,
    });
  });

  it('allows a heap within its limit of warm-up, and not one byte more', () => {
    const base = 90 * MB;
    const within = samples([
      [10, { heap: base }],
      [20, { heap: base + 20 * MB }],
      [30, { heap: base - MB }],
    ]);
    expect(judge(within, 10, HEAP)).toMatchObject({ ok: true, reason: 'largest rise +20.0 MB' });
    const over = samples([
      [10, { heap: base }],
      [20, { heap: base + 20 * MB + 1 }],
      [30, { heap: base }],
    ]);
    expect(judge(over, 10, HEAP).ok).toBe(false);
  });

  it('compares the maxima of the first and last thirds for a no-growth series', () => {
    const flat = samples([5, 9, 5, 5, 9, 5].map((v, i) => [i * 10, { gpu: v * MB }]));
    expect(judge(flat, 0, GPU)).toMatchObject({
      ok: true,
      reason: 'max 9.0 MB in the first third, 9.0 MB in the last',
    });
    const growing = samples([5, 5, 6, 7, 8, 9].map((v, i) => [i * 10, { gpu: v * MB }]));
    expect(judge(growing, 0, GPU)).toMatchObject({
      ok: false,
      reason: 'max 5.0 MB in the first third, 9.0 MB in the last',
    });
  });

  it('refuses to judge too few samples, or a series that is missing or not finite', () => {
    expect(
      judge(
        samples([
          [0, { tensors: 1 }],
          [10, { tensors: 1 }],
        ]),
        0,
        TENSORS,
      ).reason,
    ).toBe('only 2 sample(s) after warm-up: not enough to judge');
    expect(
      judge(
        samples([
          [0, {}],
          [1, {}],
          [2, {}],
        ]),
        0,
        TENSORS,
      ).ok,
    ).toBe(false);
    const nan = samples([
      [0, { tensors: 1 }],
      [1, { tensors: NaN }],
      [2, { tensors: 1 }],
    ]);
    expect(judge(nan, 0, TENSORS)).toMatchObject({ ok: false, reason: 'a sample is not a finite number' });
  });
});

describe('spread', () => {
  it('keeps the first and last sample and spaces the rest evenly', () => {
    const s = samples(Array.from({ length: 11 }, (_, i) => [i, {}] as [number, Record<string, number>]));
    expect(spread(s, 3).map((x) => x.step)).toEqual([0, 5, 10]);
    expect(spread(s.slice(0, 2), 5).map((x) => x.step)).toEqual([0, 1]);
  });
});

const part = (over: Partial<SoakPart> = {}): SoakPart => ({
  label: 'Node',
  setup: 'plain-cnn on MNIST',
  steps: 300,
  reached: 300,
  warmupStep: 100,
  sampling: 'every 100 steps',
  series: [TENSORS, HEAP],
  samples: samples([
    [0, { tensors: 48, heap: 80 * MB }],
    [100, { tensors: 68, heap: 90 * MB }],
    [200, { tensors: 68, heap: 91 * MB }],
    [300, { tensors: 68, heap: 90.5 * MB }],
  ]),
  durationS: 90,
  error: null,
  ...over,
});

const run = (parts: SoakPart[], note: string | null = null): SoakRun => ({
  machine: {
    date: '2026-12-01 20:00 UTC',
    command: 'npm run soak',
    cpu: 'Test CPU',
    cores: 2,
    memory: '8.0 GiB total',
    os: 'Linux',
    node: 'v20',
    tfjs: '4.22.0',
    chromium: null,
    durationS: 120,
  },
  quick: note !== null,
  note,
  parts,
});

describe('renderReliability', () => {
  it('writes the command, the figures and the verdict of every series', () => {
    const md = renderReliability(run([part()]), null);
    expect(md).toContain('| command | `npm run soak` |');
    expect(md).toContain('**Every series (2) stays within its bound.**');
    expect(md).toContain(
      'plain-cnn on MNIST: 300 of 300 steps in 1.5 min, 4 samples (every 100 steps); warm-up ends at step 100.',
    );
    expect(md).toContain(
      '| tensors | 68 (step 100) | 68 (step 300) | 68 | exactly flat after warm-up | **pass**: 68 at all 3 samples |',
    );
    expect(md).toContain(
      '| heap | 90.0 MB (step 100) | 90.5 MB (step 300) | 91.0 MB | within +20.0 MB of warm-up | **pass**: largest rise +1.0 MB |',
    );
    expect(md).toContain('| 0 | 0 | 48 | 80.0 MB |');
  });

  it('counts broken bounds and early stops in the summary, and says when it is the quick version', () => {
    const leaky = part({
      error: 'the page reported: lost',
      samples: samples([
        [100, { tensors: 68, heap: 0 }],
        [200, { tensors: 70, heap: 0 }],
        [300, { tensors: 72, heap: 0 }],
      ]),
    });
    const md = renderReliability(run([leaky], 'From the quick version.'), null);
    expect(md).toContain('**1 of 2 series break their bound; 1 part(s) stopped early.**');
    expect(md).toContain('**Stopped early:** the page reported: lost');
    expect(md).toContain('**From the quick version.**');
    expect(md).toContain('**FAIL**: 70 at step 200, 68 at warm-up');
    expect(renderReliability(run([part({ events: ['an evaluation by step 248'] })]), null)).toContain(
      'During the run: an evaluation by step 248.',
    );
  });

  it('leaves the bad-input section marked as not filled in, or renders the cases as a table', () => {
    expect(renderReliability(run([part()]), null)).toContain('Not filled in yet: src/cli/bad-input.cases.ts');
    const md = renderReliability(run([part()]), [
      {
        what: 'negative steps',
        args: ['train', '--steps', '-1'],
        message: 'morphnet: train: --steps must be a positive integer, got "-1"',
        code: 2,
      },
      { args: 'cost --spec a|b', message: 'morphnet: unknown seed "a|b"', code: 2 },
    ]);
    expect(md).toContain('2 command lines from src/cli/bad-input.cases.ts');
    expect(md).toContain(
      '| negative steps | `morphnet train --steps -1` | 2 | morphnet: train: --steps must be a positive integer, got "-1" |',
    );
    expect(md).toContain('|  | `morphnet cost --spec a\\|b` | 2 | morphnet: unknown seed "a\\|b" |');
  });
});

describe('shellArg', () => {
  it('quotes what a shell would split or drop, and never writes a control character raw', () => {
    expect(['--steps', '', ' 3', "it's", 'evil\u001b[2J', 'a.json'].map(shellArg)).toEqual([
      '--steps',
      "''",
      "' 3'",
      "'it'\\''s'",
      "'evil\\x1b[2J'",
      'a.json',
    ]);
  });
});

describe('mergeRuns', () => {
  it('puts the parts of several runs in one report and names each run in the command', () => {
    const a = run([part({ label: 'Node' })]);
    const b = run([part({ label: 'The page' })]);
    b.machine = {
      ...b.machine,
      command: 'npm run soak -- --browser-only',
      date: '2026-12-01 21:20 UTC',
      chromium: '156',
    };
    const m = mergeRuns([a, b]);
    expect(m.parts.map((p) => p.label)).toEqual(['Node', 'The page']);
    expect(m.machine.command).toBe(
      '`npm run soak` (Node; 2026-12-01 20:00 UTC) + `npm run soak -- --browser-only` (The page; 2026-12-01 21:20 UTC)',
    );
    expect([m.machine.chromium, m.machine.durationS, m.quick, m.note]).toEqual(['156', 240, false, null]);
    expect(mergeRuns([a])).toBe(a);
    expect(renderReliability(m, null)).toContain(`| command | ${m.machine.command} |`);
  });
});
