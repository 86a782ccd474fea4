import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  isValidSetting,
  LIMITS,
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
      '?dataset=cifar&batch=2.5&lr=-1&target=energy&strength=abc&seed=',
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

describe('URL settings: what the link holds that the page does not use', () => {
  const warningsOf = (q: string) => parseSettings(q).warnings.map((w) => w.message);

  it.each([
    ['?foo=1', ['ignored unknown setting "foo" in the link.']],
    ['?batch=4&Batch=8&lr%20=0.1', ['ignored unknown setting "Batch" in the link.', 'ignored unknown setting "lr " in the link.']],
    [
      `?${'k'.repeat(300)}=1`,
      [`ignored unknown setting "${'k'.repeat(40)}…" in the link.`],
    ],
    ['?batch=4&batch=8', ['"batch" is in the link 2 times ("4", "8"); only the first, "4", counts.']],
    [
      '?seed=1&seed=2&seed=3&seed=4&seed=5',
      ['"seed" is in the link 5 times ("1", "2", "3", …); only the first, "1", counts.'],
    ],
    ['?hide=lr&hide=batch', ['"hide" is in the link 2 times ("lr", "batch"); only the first, "lr", counts.']],
    ['?test=1&hide=lr&net=plain-cnn', []],
    [
      `?${Array.from({ length: 8 }, (_, i) => `x${i}=1`).join('&')}`,
      [0, 1, 2, 3, 4].map((i) => `ignored unknown setting "x${i}" in the link.`).concat(['ignored 3 more unknown settings in the link.']),
    ],
  ])('%s', (q, expected) => {
    expect(warningsOf(q)).toEqual(expected);
  });

  it('a repeated setting takes its first value, and an invalid first value its default', () => {
    expect(parseSettings('?batch=4&batch=8').settings.batch).toBe(4);
    const { settings, invalid, warnings } = parseSettings('?batch=abc&batch=8');
    expect(settings.batch).toBe(DEFAULTS.batch);
    expect(invalid.map((i) => i.message)).toEqual([
      `"batch=abc" is not valid (expected a whole number from ${LIMITS.batch.min} to ${LIMITS.batch.max}); using 32.`,
    ]);
    expect(warnings.map((w) => w.key)).toEqual(['batch']);
  });

  it('refuses a value over 200 characters without echoing it', () => {
    const long = '1'.repeat(200_000);
    const { settings, invalid } = parseSettings(`?lr=${long}&net=${'x'.repeat(201)}`);
    expect(settings).toEqual(DEFAULTS);
    expect(invalid).toEqual([
      {
        key: 'net',
        value: `${'x'.repeat(40)}…`,
        message: `"net=${'x'.repeat(40)}…" (201 characters) is too long to be a setting (at most 200); using resnet-mini.`,
      },
      {
        key: 'lr',
        value: `${'1'.repeat(40)}…`,
        message: `"lr=${'1'.repeat(40)}…" (200000 characters) is too long to be a setting (at most 200); using 0.05.`,
      },
    ]);
    const hide = parseHidden(`?hide=${'lr,'.repeat(100)}`).invalid;
    expect(hide?.message).toBe(`"hide=${'lr,'.repeat(13)}l…" (300 characters) is too long (at most 200); hiding none.`);
    // Exactly 200 is read as usual (and is not a number here).
    expect(parseSettings(`?lr=${'1'.repeat(200)}`).invalid[0]?.message).toBe(
      `"lr=${'1'.repeat(40)}…" is not valid (expected a number from ${LIMITS.lr.min} to ${LIMITS.lr.max}); using 0.05.`,
    );
  });
});
