import { describe, expect, it } from 'vitest';
import { adapterText, formatAccuracy, formatDuration, formatMs, formatSmall } from './format.ts';
import { roundSignificant } from './LogSlider.tsx';

describe('page formatting', () => {
  it('names an adapter, and says when it is software', () => {
    expect(
      adapterText({ vendor: 'google', architecture: 'swiftshader', description: '', isFallback: true }),
    ).toBe('swiftshader (google), software');
    expect(
      adapterText({ vendor: 'nvidia', architecture: '', description: 'RTX 4090', isFallback: false }),
    ).toBe('RTX 4090 (nvidia)');
    expect(adapterText(null)).toBe('');
  });

  it('keeps slider readouts short', () => {
    expect(formatSmall(0.01)).toBe('0.01');
    expect(formatSmall(5)).toBe('5');
    expect(formatSmall(0.0005)).toBe('5e-4');
    expect(formatSmall(0.00012)).toBe('1.2e-4');
    expect(roundSignificant(10 ** -1.65)).toBe(0.022);
  });

  it('formats accuracy and step time', () => {
    expect(formatAccuracy(null)).toBe('–');
    expect(formatAccuracy(0.9234)).toBe('92.3%');
    expect(formatMs(null)).toBe('–');
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(2200)).toBe('2.2 s');
    expect(formatDuration(400)).toBe('1 s');
    expect(formatDuration(80_000)).toBe('80 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(3.5 * 3_600_000)).toBe('3.5 h');
  });
});
