// The section's words, rendered from the real fixture sweep: the computed summary, the command,
// and a selected point's numbers and structure.
import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseSweep } from '../../morphnet/sweep-validate.ts';
import { parseMultipliers, parseSteps } from './BaselineQueue.tsx';
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

describe('the baseline queue inputs', () => {
  it('reads a list of multipliers, sorted and without repeats, or names the bad entry', () => {
    expect(parseMultipliers('1, 0.25,0.5, 1')).toEqual([0.25, 0.5, 1]);
    expect(parseMultipliers('0.5, two')).toBe(
      'Multipliers: expected numbers in (0, 4] separated by commas, got "two"',
    );
    expect(parseMultipliers('0.5,,1')).toBe(
      'Multipliers: expected numbers in (0, 4] separated by commas, got ""',
    );
    expect(parseMultipliers('0')).toBe(
      'Multipliers: expected numbers in (0, 4] separated by commas, got "0"',
    );
  });

  it('reads the steps as a whole number', () => {
    expect(parseSteps(' 200 ')).toBe(200);
    expect(parseSteps('2.5')).toBe('Steps: expected a whole number from 1 to 100000, got "2.5"');
    expect(parseSteps('0')).toBe('Steps: expected a whole number from 1 to 100000, got "0"');
  });
});
