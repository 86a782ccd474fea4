import { describe, expect, it } from 'vitest';
import { layoutChart, layoutSparkline } from './lines.ts';

const margin = { top: 0, right: 0, bottom: 0, left: 0 };

describe('layoutChart', () => {
  it('maps points into the plot and computes round ticks', () => {
    const l = layoutChart(
      [
        {
          name: 'acc',
          points: [
            { x: 0, y: 0 },
            { x: 100, y: 1 },
          ],
        },
      ],
      {
        width: 200,
        height: 100,
        margin,
        yDomain: [0, 1],
      },
    );
    expect(l.lines[0]!.d).toBe('M0,100L200,0');
    expect(l.lines[0]!.last).toEqual({ x: 200, y: 0 });
    expect(l.yTicks.map((t) => t.label)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(l.xTicks.map((t) => t.label)).toEqual(['0', '20', '40', '60', '80', '100']);
  });

  it('breaks a line at missing values instead of drawing through them', () => {
    const points = [
      { x: 0, y: 1 },
      { x: 1, y: NaN },
      { x: 2, y: 2 },
      { x: 3, y: 3 },
    ];
    const l = layoutChart([{ name: 'loss', points }], { width: 30, height: 30, margin });
    expect(l.lines[0]!.d.match(/M/g)?.length).toBe(2);
  });

  it('labels whole steps only when a run is one or two steps old', () => {
    const points = [
      { x: 1, y: 2.3 },
      { x: 2, y: 2.1 },
    ];
    const l = layoutChart([{ name: 'loss', points }], { width: 100, height: 50, margin });
    expect(l.xTicks.map((t) => t.label)).toEqual(['1', '2']);
  });
});

describe('layoutSparkline', () => {
  it('keeps the reference (100% of seed) in view and ends at the latest point', () => {
    const s = layoutSparkline(
      [
        { x: 0, y: 100 },
        { x: 10, y: 50 },
      ],
      { width: 106, height: 46, reference: 100 },
    );
    expect(s.referenceY).toBe(3);
    expect(s.last).toEqual({ x: 103, y: 23 });
    expect(s.d).toBe('M3,3L103,23');
  });
});
