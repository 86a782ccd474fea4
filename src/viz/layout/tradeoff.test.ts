import { describe, expect, it } from 'vitest';
import { dodge, layoutTradeoff, markerPath, paretoFrontier, type TradeoffInput } from './tradeoff.ts';

// Seeded by hand: three uniform widths, two pruning fractions, three MorphNet points of which the
// middle one is beaten by a cheaper one. No two closer than a 24 px target both ways (none dodged).
const points: TradeoffInput[] = [
  { family: 'uniform', label: '×0.5', flops: 1e6, params: 4e3, accuracy: 0.8 },
  { family: 'uniform', label: '×1', flops: 4e6, params: 16e3, accuracy: 0.9 },
  { family: 'uniform', label: '×0.25', flops: 2.5e5, params: 1e3, accuracy: 0.6 },
  { family: 'pruning', label: '50%', flops: 1e6, params: 4e3, accuracy: 0.7 },
  { family: 'pruning', label: '25%', flops: 2.25e6, params: 9e3, accuracy: 0.85 },
  { family: 'morphnet', label: 'a', flops: 1e6, params: 8e3, accuracy: 0.88 },
  { family: 'morphnet', label: 'b', flops: 2e6, params: 12e3, accuracy: 0.86 },
  { family: 'morphnet', label: 'c', flops: 4e6, params: 20e3, accuracy: 0.97 },
];
const opts = { width: 500, height: 300, metric: 'flops' as const, seed: { flops: 4e6, params: 16e3 } };

describe('layoutTradeoff', () => {
  const layout = layoutTradeoff(points, opts);
  const { plot } = layout;

  it('fits the plot inside the margins', () => {
    expect(plot).toEqual({ x: 60, y: 14, width: 420, height: 236 });
  });

  it('places x on a log scale: equal cost ratios are equal distances', () => {
    const at = (label: string) => layout.markers.find((m) => m.label === label)!;
    const step1 = at('×0.5').x - at('×0.25').x;
    const step2 = at('×1').x - at('×0.5').x;
    expect(step1).toBeGreaterThan(50);
    expect(step2).toBeCloseTo(step1, 1);
    // The domain is padded by ×1.25 on both sides, so the extremes sit inside the plot.
    const decades = Math.log10((4e6 * 1.25) / (2.5e5 / 1.25));
    expect(at('×0.25').x).toBeCloseTo((plot.width * Math.log10(1.25)) / decades, 1);
    expect(layout.seedX).toBe(at('×1').x);
  });

  it('places y linearly with higher accuracy higher, ticks in percent', () => {
    const ys = layout.markers.map((m) => m.y);
    expect(ys[1]).toBeLessThan(ys[0]!);
    expect(layout.yTicks.map((t) => t.label)).toEqual(['50%', '60%', '70%', '80%', '90%', '100%']);
    const t90 = layout.yTicks.find((t) => t.label === '90%')!;
    expect(ys[1]).toBe(t90.y);
  });

  it('ticks the log axis at 1, 2 and 5 × 10ⁿ, labelled with SI prefixes', () => {
    expect(layout.xTicks.map((t) => t.label)).toEqual(['200k', '500k', '1M', '2M', '5M']);
    expect(layout.xLabel).toBe('FLOPs per example (log scale)');
    expect(layout.yLabel).toBe('test accuracy (%)');
  });

  it('draws uniform and pruning through all their points by cost, MorphNet along its frontier', () => {
    expect(layout.lines.map((l) => l.family)).toEqual(['uniform', 'pruning', 'morphnet']);
    const uniform = layout.lines[0]!.d;
    const m = (i: number) => layout.markers[i]!;
    expect(uniform).toBe(`M${m(2).x},${m(2).y}L${m(0).x},${m(0).y}L${m(1).x},${m(1).y}`);
    expect(layout.lines[2]!.d).toBe(`M${m(5).x},${m(5).y}L${m(7).x},${m(7).y}`);
    expect(layout.markers.filter((k) => !k.onLine).map((k) => k.label)).toEqual(['b']);
  });

  it('gives each family its own marker shape', () => {
    const shapes = new Set(layout.markers.map((k) => k.d));
    expect(shapes.size).toBe(3);
    expect(markerPath('pruning')).toBe('M-5,-5h10v10h-10Z');
  });

  it('moves x when switched to parameters, keeping y', () => {
    const byParams = layoutTradeoff(points, { ...opts, metric: 'params' });
    expect(byParams.xLabel).toBe('parameters (log scale)');
    expect(byParams.markers.map((k) => k.y)).toEqual(layout.markers.map((k) => k.y));
    // MorphNet "a" costs as much as ×0.5 in FLOPs but twice its parameters.
    expect(layout.markers[5]!.x).toBe(layout.markers[0]!.x);
    expect(byParams.markers[5]!.x).toBeGreaterThan(byParams.markers[0]!.x + 30);
    expect(byParams.xTicks.map((t) => t.label)).toEqual(['1k', '2k', '5k', '10k', '20k']);
  });
});

describe('dodge', () => {
  it('sets coincident markers side by side around their true spot, and leaves the rest', () => {
    expect(
      dodge([
        { x: 10, y: 10 },
        { x: 50, y: 10 },
        { x: 10, y: 34 },
        { x: 10, y: 10 },
      ]),
    ).toEqual([-12.5, 0, 0, 12.5]);
    // 23 px apart both ways: their 24 px targets would overlap.
    expect(
      dodge([
        { x: 10, y: 10 },
        { x: 33, y: 33 },
      ]),
    ).toEqual([-12.5, 12.5]);
  });

  it('also separates markers that only nearly coincide: one would hide the other from the mouse', () => {
    // Two MorphNet points of a real sweep: 20.2M FLOPs each, 81.4% and 81.1%, 4.7 px apart.
    expect(
      dodge([
        { x: 350.83, y: 56.56 },
        { x: 350.78, y: 61.3 },
      ]),
    ).toEqual([-12.5, 12.5]);
  });

  it('keeps identical networks clickable in the chart, lines through the true positions', () => {
    const twins: TradeoffInput[] = [
      { family: 'uniform', label: '×0.5', flops: 1e6, params: 4e3, accuracy: 0.8 },
      { family: 'uniform', label: '×1', flops: 4e6, params: 16e3, accuracy: 0.9 },
      { family: 'morphnet', label: 'strength 2', flops: 4e6, params: 16e3, accuracy: 0.9 },
    ];
    const l = layoutTradeoff(twins, opts);
    const [a, b, c] = l.markers;
    expect(c!.x - b!.x).toBe(25);
    // Every target is 24 px across (WCAG 2.5.8), and side by side ones do not overlap.
    expect([a!.hitR, b!.hitR, c!.hitR]).toEqual([12, 12, 12]);
    expect(b!.hitR + c!.hitR).toBeLessThan(c!.x - b!.x);
    expect(b!.y).toBe(c!.y);
    expect(l.seedX).toBe(r2((b!.x + c!.x) / 2));
    expect(l.lines[0]!.d).toBe(`M${a!.x},${a!.y}L${l.seedX},${b!.y}`);
  });
});

const r2 = (v: number) => Math.round(v * 100) / 100;

describe('paretoFrontier', () => {
  it('keeps the points nothing cheaper beats', () => {
    const pts = [
      { x: 3, y: 0.5 },
      { x: 1, y: 0.6 },
      { x: 2, y: 0.9 },
      { x: 2, y: 0.7 },
      { x: 4, y: 0.95 },
    ];
    expect(paretoFrontier(pts)).toEqual([
      { x: 1, y: 0.6 },
      { x: 2, y: 0.9 },
      { x: 4, y: 0.95 },
    ]);
    expect(paretoFrontier([])).toEqual([]);
  });
});
