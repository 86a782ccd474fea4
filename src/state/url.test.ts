import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  isValidSetting,
  parseHidden,
  parseSettings,
  serializeSettings,
  shareQuery,
} from './url.ts';

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

  it('reads the classroom list of hidden controls, in a fixed order', () => {
    expect(parseHidden('')).toEqual({ hidden: [], invalid: null });
    expect(parseHidden('?hide=batch,strength,lr')).toEqual({
      hidden: ['strength', 'lr', 'batch'],
      invalid: null,
    });
    expect(parseHidden('?hide=')).toEqual({ hidden: [], invalid: null });
  });

  it('names unknown controls in hide= and still hides the known ones', () => {
    const { hidden, invalid } = parseHidden('?hide=strength,colour,lr');
    expect(hidden).toEqual(['strength', 'lr']);
    expect(invalid).toEqual({
      key: 'hide',
      value: 'strength,colour,lr',
      message:
        '"hide=strength,colour,lr": "colour" is not a control (expected target, strength, threshold, lr, batch, seed, dataset, net); hiding strength, lr.',
    });
    // parseSettings names it with the other invalid values.
    const parsed = parseSettings('?batch=0&hide=x,y');
    expect(parsed.invalid.map((i) => i.key)).toEqual(['batch', 'hide']);
    expect(parsed.invalid[1]!.message).toContain('"x", "y" are not controls');
    expect(parsed.invalid[1]!.message).toContain('hiding none');
  });

  it('writes a reproduce link (settings only) and a classroom link (settings and hide=)', () => {
    const settings = { ...DEFAULTS, net: 'plain-cnn', batch: 4 };
    expect(shareQuery(settings)).toBe('?net=plain-cnn&batch=4');
    expect(shareQuery(settings, ['lr', 'strength'])).toBe('?net=plain-cnn&batch=4&hide=strength,lr');
    expect(shareQuery(DEFAULTS)).toBe('');
    // The page keeps hide= when it rewrites the settings.
    expect(serializeSettings({ ...DEFAULTS, seed: 3 }, new URLSearchParams('hide=lr'))).toBe(
      '?hide=lr&seed=3',
    );
    expect(parseSettings(shareQuery(settings, ['batch'])).settings).toEqual(settings);
  });

  it('checks a setting value of any type (saved runs)', () => {
    expect(isValidSetting('batch', 4)).toBe(true);
    expect(isValidSetting('batch', '4')).toBe(false);
    expect(isValidSetting('batch', 2.5)).toBe(false);
    expect(isValidSetting('target', 'size')).toBe(true);
    expect(isValidSetting('net', 'vgg')).toBe(false);
    expect(isValidSetting('lr', undefined)).toBe(false);
  });
});
