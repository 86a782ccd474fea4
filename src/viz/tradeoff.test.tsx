// The trade-off chart's SVG snapshot with seeded points, plus the accessibility contract the page
// and e2e/tradeoff.spec.ts rely on: one focusable button per point, named with its numbers.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TradeoffInput } from './layout/tradeoff.ts';
import { describePoint, TradeoffChart } from './TradeoffChart.tsx';

const pretty = (html: string) => html.replace(/></g, '>\n<');

const points: TradeoffInput[] = [
  { family: 'uniform', label: '×0.5', flops: 1.2e6, params: 4.1e3, accuracy: 0.81 },
  { family: 'uniform', label: '×1', flops: 4.6e6, params: 16.2e3, accuracy: 0.9 },
  { family: 'pruning', label: '50%', flops: 1.2e6, params: 4.1e3, accuracy: 0.74 },
  { family: 'morphnet', label: 'strength 5', flops: 2.3e6, params: 12.5e3, accuracy: 0.885 },
  { family: 'morphnet', label: 'strength 10', flops: 2.6e6, params: 9.5e3, accuracy: 0.86 },
];
const seed = { flops: 4.6e6, params: 16.2e3 };

const render = (metric: 'flops' | 'params', selected: number | null) =>
  renderToStaticMarkup(
    <TradeoffChart
      points={points}
      seed={seed}
      metric={metric}
      onMetricChange={() => {}}
      selected={selected}
      onSelect={() => {}}
      title="Accuracy against cost"
      width={560}
      height={340}
    />,
  );

describe('TradeoffChart', () => {
  const html = render('flops', 3);

  it('draws one focusable, named button per point', () => {
    expect(html.match(/role="button"/g)?.length).toBe(5);
    expect(html.match(/tabindex="0"/g)?.length).toBe(5);
    expect(html).toContain('aria-label="MorphNet strength 5: 2.3M FLOPs, 12.5k params, 88.5% test accuracy"');
    expect(html.match(/aria-pressed="true"/g)?.length).toBe(1);
    expect(describePoint(points[0]!)).toBe(
      'uniform width multiplier ×0.5: 1.2M FLOPs, 4.1k params, 81.0% test accuracy',
    );
  });

  it('has a legend entry per family, the seed line and labelled axes with units', () => {
    for (const name of ['uniform width multiplier', 'magnitude pruning', 'MorphNet', 'seed network']) {
      expect(html).toContain(`${name}</li>`);
    }
    expect(html).toContain('FLOPs per example (log scale)');
    expect(html).toContain('test accuracy (%)');
    expect(html).toContain('class="viz-tradeoff-seed"');
    // Strength 10 is beaten by the cheaper strength 5: drawn hollow, off the frontier.
    expect(html.match(/is-off-line/g)?.length).toBe(1);
  });

  it('moves the points when the axis is parameters', () => {
    const xs = (h: string) => [...h.matchAll(/data-x="([\d.]+)"/g)].map((m) => Number(m[1]));
    const byParams = render('params', null);
    expect(byParams).toContain('parameters (log scale)');
    expect(byParams).toMatch(/aria-label="x axis: parameters" name="[^"]+" checked="" value="params"/);
    // Strength 10 is costlier than strength 5 in FLOPs, cheaper in parameters.
    const [f, p] = [xs(html), xs(byParams)];
    expect(f[4]).toBeGreaterThan(f[3]!);
    expect(p[4]).toBeLessThan(p[3]!);
  });

  it('matches the SVG snapshot', () => {
    expect(pretty(html)).toMatchSnapshot();
  });
});
