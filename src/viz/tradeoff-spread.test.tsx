// A point of a multi-seed sweep (issue 14): the chart draws the seeds' accuracy range behind it
// and says it in the point's name; a point of one seed draws and reads as before.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { layoutTradeoff, type TradeoffInput } from './layout/tradeoff.ts';
import { describePoint, TradeoffChart } from './TradeoffChart.tsx';

const points: TradeoffInput[] = [
  {
    family: 'uniform',
    label: '×0.5',
    flops: 1e6,
    params: 4e3,
    accuracy: 0.8,
    spread: { min: 0.79, max: 0.82, seeds: 3 },
  },
  { family: 'uniform', label: '×1', flops: 4e6, params: 16e3, accuracy: 0.9 },
];
const seed = { flops: 4e6, params: 16e3 };

describe('a point with several seeds', () => {
  const layout = layoutTradeoff(points, { width: 400, height: 300, metric: 'flops', seed });

  it('widens the accuracy axis to the range and places the bar around the marker', () => {
    // Accuracies 0.79 to 0.9, padded by 0.011 and niced: the axis runs 0.75 to 0.95 over the
    // plot's height, so 0.01 of accuracy is height / 20 px.
    const [m, one] = layout.markers;
    const px = layout.plot.height / 20;
    expect(one!.spread).toBeUndefined();
    expect(m!.spread!.top).toBeCloseTo(-2 * px, 9);
    expect(m!.spread!.bottom).toBeCloseTo(px, 9);
    expect(layout.yTicks.map((t) => t.label)).toEqual(['75%', '80%', '85%', '90%', '95%']);
  });

  it('says the seeds in its name and draws one bar', () => {
    expect(describePoint(points[0]!)).toBe(
      'uniform width multiplier ×0.5: 1M FLOPs, 4k params, 80.0% test accuracy, mean of 3 seeds (79.0% to 82.0%)',
    );
    expect(describePoint(points[1]!)).toBe(
      'uniform width multiplier ×1: 4M FLOPs, 16k params, 90.0% test accuracy',
    );
    const html = renderToStaticMarkup(
      <TradeoffChart
        points={points}
        seed={seed}
        metric="flops"
        onMetricChange={() => {}}
        selected={null}
        onSelect={() => {}}
        title="t"
      />,
    );
    expect(html.match(/class="viz-tradeoff-spread"/g)?.length).toBe(1);
  });
});
