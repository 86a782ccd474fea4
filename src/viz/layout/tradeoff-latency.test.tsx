// The trade-off chart on its measured-latency axis: x is each network's forward pass timed on
// this device; a network not timed yet has no marker (and keeps its place), nor does the seed's
// line before the seed is timed.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { describePoint, TradeoffChart } from '../TradeoffChart.tsx';
import { layoutTradeoff, type TradeoffInput } from './tradeoff.ts';

const points: TradeoffInput[] = [
  { family: 'uniform', label: '×0.5', flops: 1e6, params: 4e3, accuracy: 0.8, latencyMs: 1 },
  { family: 'uniform', label: '×1', flops: 4e6, params: 16e3, accuracy: 0.9, latencyMs: 4 },
  { family: 'uniform', label: '×0.25', flops: 2.5e5, params: 1e3, accuracy: 0.6 },
  { family: 'morphnet', label: 'a', flops: 1e6, params: 8e3, accuracy: 0.88, latencyMs: 2 },
];
const seed = { flops: 4e6, params: 16e3, latencyMs: 4 };
const opts = { width: 500, height: 300, metric: 'latency' as const, seed };

describe('the measured-latency axis', () => {
  const layout = layoutTradeoff(points, opts);
  const at = (label: string) => layout.markers.find((m) => m.label === label)!;

  it('places each timed network by its measured ms on a log scale', () => {
    // 1 → 2 → 4 ms: equal ratios, equal distances; the ×1 network sits on the seed's line.
    expect(at('a').x - at('×0.5').x).toBeCloseTo(at('×1').x - at('a').x, 1);
    // Domain 1/1.25 … 4·1.25 ms over 420 px: 1 ms at 420·log(1.25)/log(6.25).
    expect(at('×0.5').x).toBeCloseTo((420 * Math.log10(1.25)) / Math.log10(6.25), 1);
    expect(layout.seedX).toBe(at('×1').x);
    expect(layout.xLabel).toBe('measured latency on this device, ms per pass (log scale)');
    expect(layout.xTicks.map((t) => t.label)).toEqual(['1 ms', '2 ms', '5 ms']);
  });

  it('keeps an untimed network in its place without a position, and off its family’s line', () => {
    expect(layout.markers.map((m) => m.label)).toEqual(['×0.5', '×1', '×0.25', 'a']);
    expect(at('×0.25').x).toBeNaN();
    // The uniform line runs through the two timed widths only.
    expect(layout.lines.find((l) => l.family === 'uniform')!.d.split('L')).toHaveLength(2);
    expect(layoutTradeoff(points, { ...opts, seed: { flops: 4e6, params: 16e3 } }).seedX).toBeNaN();
  });

  it('draws only timed points, offers the axis by name and says the measured time', () => {
    const html = renderToStaticMarkup(
      <TradeoffChart
        points={points}
        seed={{ flops: 4e6, params: 16e3 }}
        metric="latency"
        onMetricChange={() => {}}
        selected={null}
        onSelect={() => {}}
        title="t"
      />,
    );
    expect(html).toMatch(
      /<input type="radio" aria-label="x axis: measured latency"[^>]*checked=""[^>]*value="latency"/,
    );
    expect(html.match(/role="button"/g)).toHaveLength(3);
    expect(html).not.toContain('×0.25:');
    // No seed line before the seed is timed.
    expect(html).not.toContain('viz-tradeoff-seed-label');
    expect(describePoint(points[3]!)).toBe(
      'MorphNet a: 1M FLOPs, 8k params, 88.0% test accuracy, 2 ms measured',
    );
    expect(describePoint(points[2]!)).not.toContain('measured');
  });
});
