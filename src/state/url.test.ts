import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseSettings, serializeSettings } from './url.ts';

describe('URL settings', () => {
  it('uses the defaults for an empty query and writes nothing back', () => {
    const { settings, invalid } = parseSettings('');
    expect(settings).toEqual(DEFAULTS);
    expect(invalid).toEqual([]);
    expect(serializeSettings(settings)).toBe('');
  });

  it('reads every key and writes back only the non-defaults', () => {
    const q =
      '?backend=webgpu&net=plain-cnn&dataset=shapes&target=size&strength=3&threshold=0.005&lr=0.1&batch=4&seed=7';
    const { settings, invalid } = parseSettings(q);
    expect(invalid).toEqual([]);
    expect(settings).toEqual({
      backend: 'webgpu',
      net: 'plain-cnn',
      dataset: 'shapes',
      target: 'size',
      strength: 3,
      threshold: 0.005,
      lr: 0.1,
      batch: 4,
      seed: 7,
    });
    expect(serializeSettings({ ...DEFAULTS, batch: 4, dataset: 'shapes' })).toBe('?dataset=shapes&batch=4');
  });

  it('names each invalid value and keeps its default', () => {
    const { settings, invalid } = parseSettings(
      '?dataset=cifar&batch=2.5&lr=-1&target=latency&strength=abc&seed=',
    );
    expect(settings).toEqual(DEFAULTS);
    expect(invalid.map((i) => i.key)).toEqual(['dataset', 'target', 'strength', 'lr', 'batch', 'seed']);
    expect(invalid[0]!.message).toBe(
      '"dataset=cifar" is not valid (expected mnist, fashion, shapes); using mnist.',
    );
  });

  it('keeps parameters it does not own', () => {
    expect(serializeSettings({ ...DEFAULTS, seed: 2 }, new URLSearchParams('utm=x&seed=9'))).toBe(
      '?utm=x&seed=2',
    );
  });
});
