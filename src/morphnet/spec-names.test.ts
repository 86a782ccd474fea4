// Names reach terminals and pages: control characters and terminal escape codes are refused,
// overlong names too, and no message prints one raw (issue 9).
import { describe, expect, it } from 'vitest';
import { SpecError, validateSpec } from './spec.ts';

const spec = (layers: unknown[]) => ({ name: 't', input: { height: 28, width: 28, channels: 1 }, classes: 10, layers });
const head = (from: string) => [
  { name: 'pool', type: 'gap', from },
  { name: 'logits', type: 'dense', from: 'pool', units: 10 },
];
const conv = (name: string, from: string, filters: number) => ({ name, type: 'conv', from, filters, kernel: 3 });
const message = (value: unknown): string => {
  try {
    validateSpec(value, 'spec.json');
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('expected a SpecError');
};

describe('names', () => {
  const ESC = '\u001b';
  const layerNamed = (name: string) => spec([conv(name, 'input', 4), ...head(name)]);
  const control = (code: string, at: number) =>
    `contains the control character U+${code} at character ${at}; names may not hold control characters or terminal escape codes`;
  const hasControl = (s: string) =>
    [...s].some((ch) => {
      const c = ch.codePointAt(0) as number;
      return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    });

  it.each([
    ['an escape code', layerNamed(`conv${ESC}[31m`), `spec.json: layer #1: field "name": ${control('001B', 5)}`],
    ['a NUL', layerNamed('a\u0000'), `spec.json: layer #1: field "name": ${control('0000', 2)}`],
    ['a newline', layerNamed('two\nlines'), `spec.json: layer #1: field "name": ${control('000A', 4)}`],
    ['a DEL', layerNamed('\u007f'), `spec.json: layer #1: field "name": ${control('007F', 1)}`],
    ['an 8-bit CSI', layerNamed('x\u009b2J'), `spec.json: layer #1: field "name": ${control('009B', 2)}`],
    ['a right-to-left override', layerNamed('a\u202eb'), `spec.json: layer #1: field "name": ${control('202E', 2)}`],
    ['101 characters', layerNamed('n'.repeat(101)), 'spec.json: layer #1: field "name": is 101 characters long, over the limit of 100'],
    [
      'a spec name with an escape code',
      { ...layerNamed('c'), name: `${ESC}]0;owned${'\u0007'}` },
      `spec.json: field "name": ${control('001B', 1)}`,
    ],
    [
      'a 200-character spec name',
      { ...layerNamed('c'), name: 'x'.repeat(200) },
      'spec.json: field "name": is 200 characters long, over the limit of 100',
    ],
    [
      'an escape code in a from',
      spec([conv('c', `${ESC}[2J`, 4), ...head('c')]),
      'spec.json: layer "c": field "from": unknown layer "\\u001b[2J" (use "input" for the image or an earlier layer\'s name)',
    ],
    [
      'an escape code in a field name',
      spec([{ ...conv('c', 'input', 4), [`${ESC}x`]: 1 }, ...head('c')]),
      'spec.json: layer "c": field "\\u001bx": unknown field for a conv layer',
    ],
    [
      'an 8-bit CSI in a type',
      spec([{ name: 'c', type: '\u009b2J', from: 'input' }, ...head('c')]),
      'spec.json: layer "c": field "type": unknown type "\\u009b2J" (one of conv, depthwise, add, concat, maxpool, gap, dense)',
    ],
  ])('refuses %s without printing it raw', (_, value, expected) => {
    const m = message(value);
    expect(m).toBe(expected);
    expect(hasControl(m)).toBe(false);
  });

  it('takes 100 characters, and any printable Unicode', () => {
    expect(validateSpec(layerNamed('n'.repeat(100)), 's').layers[0]?.name).toHaveLength(100);
    expect(validateSpec(layerNamed('卷积/ß→🙂'), 's').layers[0]?.name).toBe('卷积/ß→🙂');
  });
});
