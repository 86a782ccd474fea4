import { describe, expect, it } from 'vitest';
import { SHAPE_CLASSES, makeShapes } from './shapes.ts';

describe('makeShapes', () => {
  const a = makeShapes({ seed: 7 });

  it('has the documented shape and defaults', () => {
    expect([a.name, a.height, a.width, a.channels, a.classes]).toEqual(['shapes', 32, 32, 3, 6]);
    expect(a.classNames).toEqual(['circle', 'square', 'triangle', 'ring', 'cross', 'stripes']);
    expect(a.classNames).toHaveLength(SHAPE_CLASSES.length);
    expect([a.train.count, a.test.count]).toEqual([2048, 512]);
    expect(a.train.images.length).toBe(2048 * 32 * 32 * 3);
    expect(a.test.labels.length).toBe(512);
  });

  it('is the same bytes for the same seed and different bytes for another', () => {
    const again = makeShapes({ seed: 7 });
    expect(Buffer.from(again.train.images).equals(Buffer.from(a.train.images))).toBe(true);
    expect(Buffer.from(again.test.images).equals(Buffer.from(a.test.images))).toBe(true);
    const other = makeShapes({ seed: 8 });
    expect(Buffer.from(other.train.images).equals(Buffer.from(a.train.images))).toBe(false);
  });

  it('balances the classes in every prefix', () => {
    expect([...a.train.labels.subarray(0, 8)]).toEqual([0, 1, 2, 3, 4, 5, 0, 1]);
    const counts = new Array<number>(6).fill(0);
    for (const l of a.test.labels) counts[l]!++;
    expect(counts).toEqual([86, 86, 85, 85, 85, 85]);
  });

  it('draws a visible shape that neither vanishes nor fills the image', () => {
    // Across the first 60 images, a shape covers between 5% and 60% of the pixels: measured as
    // pixels far from the image's corner colour (the corners are background or close to it).
    const side = 32;
    for (let i = 0; i < 60; i++) {
      const img = a.train.images.subarray(i * side * side * 3, (i + 1) * side * side * 3);
      const corners = [0, side - 1, side * (side - 1), side * side - 1];
      let far = 0;
      for (let p = 0; p < side * side; p++) {
        const d = Math.min(
          ...corners.map((q) => Math.hypot(img[p * 3]! - img[q * 3]!, img[p * 3 + 1]! - img[q * 3 + 1]!, img[p * 3 + 2]! - img[q * 3 + 2]!)),
        );
        if (d > 80) far++;
      }
      expect(far / (side * side), `image ${i} (${a.classNames[a.train.labels[i]!]})`).toBeGreaterThan(0.03);
      expect(far / (side * side), `image ${i}`).toBeLessThan(0.6);
    }
  });

  it('honours size and counts, and is quick', () => {
    const t = performance.now();
    const small = makeShapes({ seed: 1, size: 16, train: 12, test: 6 });
    expect([small.height, small.train.images.length, small.test.count]).toEqual([16, 12 * 16 * 16 * 3, 6]);
    makeShapes({ seed: 2 });
    // 0.15-0.25 s measured for the defaults; the bound is loose for a busy shared machine.
    expect(performance.now() - t).toBeLessThan(3000);
    expect(() => makeShapes({ seed: 1, size: 4 })).toThrow(RangeError);
  });
});
