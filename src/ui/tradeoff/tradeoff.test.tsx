// The section's words, rendered from the real fixture sweep: the computed summary, the command,
// and a selected point's numbers and structure.
import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseSweep } from '../../morphnet/sweep-validate.ts';
import { parseCount, parseList } from './grid-input.ts';
import { readGrid } from './PageQueue.tsx';
import { howMade, PointDetail } from './PointDetail.tsx';
import { formatPoints, TradeoffSummary } from './TradeoffSummary.tsx';

const sweep = parseSweep(
  readFileSync(new URL('../../../e2e/fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url), 'utf8'),
  'plain-cnn-shapes.json',
);
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('TradeoffSummary', () => {
  it('leads with the MorphNet point furthest above the uniform curve, in the chosen unit', () => {
    const flops = text(
      renderToStaticMarkup(<TradeoffSummary sweep={sweep} metric="flops" fileName="f.json" />),
    );
    expect(flops).toContain(
      'At 19.7M FLOPs, MorphNet (strength 8) reaches 17.2% test accuracy; the uniform width multiplier, interpolated between ×0.75 and ×1, reaches 15.6%: +1.5 points for MorphNet.',
    );
    expect(flops).toContain('--out f.json');
    expect(flops).toContain('strength 219.8M15.6%same network as ×1out of range');
    expect(flops).toContain('one example is 0.20 points');
    const params = text(renderToStaticMarkup(<TradeoffSummary sweep={sweep} metric="params" />));
    expect(params).toContain('At 37.7k parameters, MorphNet (strength 8, budget 50%) reaches 19.1%');
    expect(params).toContain('strength 875.6k17.2%out of rangeout of range');
    // Only strength 2 at budget 1 (the seed network again, exactly at ×1) left in range.
    const seedOnly = {
      ...sweep,
      points: sweep.points.filter((p) => p.family !== 'morphnet' || p.label === 'strength 2'),
    };
    expect(text(renderToStaticMarkup(<TradeoffSummary sweep={seedOnly} metric="flops" />))).toContain(
      'the uniform width multiplier ×1 reaches 15.6%: +0.0 points for MorphNet.',
    );
  });

  it('says when no MorphNet point can be compared', () => {
    const none = { ...sweep, points: sweep.points.filter((p) => p.family !== 'uniform') };
    expect(text(renderToStaticMarkup(<TradeoffSummary sweep={none} metric="flops" />))).toContain(
      'This sweep has no uniform-multiplier points to compare MorphNet with.',
    );
    // Only ×0.25 and ×0.5 left: every MorphNet point costs more.
    const small = { ...sweep, points: sweep.points.filter((p) => !['×0.75', '×1'].includes(p.label)) };
    expect(text(renderToStaticMarkup(<TradeoffSummary sweep={small} metric="flops" />))).toContain(
      "No MorphNet point lies within the uniform multipliers' range of FLOPs, so none is compared.",
    );
  });

  it('formats differences as signed points', () => {
    expect(formatPoints(0.0156)).toBe('+1.6 points');
    expect(formatPoints(-0.004)).toBe('−0.4 points');
  });
});

describe('PointDetail', () => {
  it("shows the point's numbers and its widths against the seed", () => {
    const point = sweep.points[8]!;
    const html = renderToStaticMarkup(<PointDetail sweep={sweep} point={point} />);
    expect(text(html)).toContain('19.1% of 512 examples');
    expect(text(html)).toContain('9.62M 49% of the seed');
    expect(html).toContain('aria-label="conv2: 9/16 channels"');
    expect(howMade(point)).toBe(
      "learned at strength 8 towards FLOPs, expanded ×0.73 to 50% of the seed's cost, retrained for 20 steps",
    );
    expect(howMade(sweep.points[5]!)).toBe(
      "the trained seed with 50% of each layer's filters removed (smallest L2 norm), fine-tuned for 5 steps",
    );
  });

  it('asks for a pick before there is one', () => {
    expect(renderToStaticMarkup(<PointDetail sweep={sweep} point={undefined} />)).toContain('Pick a point');
  });
});

describe('the page queue inputs', () => {
  const range = { min: 0, max: 4 };
  it('reads a list of numbers, sorted and without repeats, or names the bad entry', () => {
    expect(parseList('1, 0.25,0.5, 1', 'Multipliers', range)).toEqual([0.25, 0.5, 1]);
    expect(parseList('0.5, two', 'Multipliers', range)).toBe(
      'Multipliers: expected numbers in (0, 4] separated by commas, got "two"',
    );
    expect(parseList('0.5,,1', 'Multipliers', range)).toBe(
      'Multipliers: expected numbers in (0, 4] separated by commas, got ""',
    );
    expect(parseList('0', 'Multipliers', range)).toBe(
      'Multipliers: expected numbers in (0, 4] separated by commas, got "0"',
    );
    expect(parseList(' ', 'Strengths', range, true)).toEqual([]);
    expect(parseList('0, 1', 'Pruning fractions', { min: 0, max: 1, closed: true })).toEqual([0, 1]);
    expect(parseList('1.5', 'Pruning fractions', { min: 0, max: 1, closed: true }, true)).toBe(
      'Pruning fractions: expected numbers in [0, 1] separated by commas (or nothing), got "1.5"',
    );
  });

  it('reads whole numbers', () => {
    expect(parseCount(' 200 ', 'Steps')).toBe(200);
    expect(parseCount('2.5', 'Steps')).toBe('Steps: expected a whole number from 1 to 100000, got "2.5"');
    expect(parseCount('0', 'Steps')).toBe('Steps: expected a whole number from 1 to 100000, got "0"');
    expect(parseCount('0', 'Fine-tuning steps', 0)).toBe(0);
  });

  it('reads the whole grid, or the first bad field, or says there is nothing to train', () => {
    const text = {
      steps: '20',
      multipliers: '0.5, 1',
      fractions: '0.5',
      finetune: '5',
      strengths: '',
      budgets: '0.5, 1',
    };
    expect(readGrid(text)).toEqual({
      steps: 20,
      multipliers: [0.5, 1],
      fractions: [0.5],
      finetune: 5,
      strengths: [],
      budgets: [0.5, 1],
    });
    expect(readGrid({ ...text, finetune: 'x' })).toBe(
      'Fine-tuning steps: expected a whole number from 0 to 100000, got "x"',
    );
    expect(readGrid({ ...text, multipliers: '', fractions: '' })).toBe(
      'Nothing to train: give multipliers, pruning fractions or MorphNet strengths.',
    );
  });
});
