import { describe, expect, it } from 'vitest';
import { formatRunFile, parseRunFile, RunFileError, validateRunRecord } from './validate.ts';
import { sampleRun } from './fixture.test-util.ts';

/** The one-line message for a sample run changed by `edit` (parsed JSON, so any shape goes). */
function problem(edit: (r: Record<string, unknown>) => void): string {
  const value = JSON.parse(formatRunFile(sampleRun())) as Record<string, unknown>;
  edit(value);
  try {
    validateRunRecord(value, 'my-run.json');
  } catch (e) {
    expect(e).toBeInstanceOf(RunFileError);
    return (e as Error).message;
  }
  throw new Error('expected the validator to reject it');
}

describe('run file validator', () => {
  it('reads back what formatRunFile wrote, equal to the record', () => {
    const r = sampleRun();
    expect(parseRunFile(formatRunFile(r), 'a.json')).toEqual(r);
  });

  it('names the file and the field that is wrong, in one line', () => {
    const cases: [(r: Record<string, unknown>) => void, string][] = [
      [
        (r) => (r['format'] = 'other'),
        'my-run.json: field "format" must be "morphnet-run" (is this a MorphNet Studio run file?), got "other"',
      ],
      [
        (r) => (r['version'] = 2),
        'my-run.json: field "version" must be 1 (the version this page reads), got 2',
      ],
      [(r) => delete r['step'], 'my-run.json: field "step" is missing'],
      [(r) => (r['extra'] = 1), 'my-run.json: field "extra" is not a field of a run'],
      [(r) => (r['step'] = -1), 'my-run.json: field "step" must be a whole number ≥ 0, got -1'],
      [(r) => (r['id'] = ''), 'my-run.json: field "id" must be a non-empty string, got ""'],
      [
        (r) => (r['createdAt'] = 'yesterday'),
        'my-run.json: field "createdAt" must be a date and time (ISO 8601), got "yesterday"',
      ],
      [
        (r) => ((r['settings'] as Record<string, unknown>)['target'] = 'latency'),
        'my-run.json: field "settings.target" is not a valid value: "latency"',
      ],
      [
        (r) => ((r['settings'] as Record<string, unknown>)['batch'] = '4'),
        'my-run.json: field "settings.batch" is not a valid value: "4"',
      ],
      [
        (r) => ((r['alive'] as Record<string, unknown>)['conv1'] = 1.5),
        'my-run.json: field "alive.conv1" must be a whole number ≥ 0, got 1.5',
      ],
      [
        (r) => (r['testAccuracy'] = 2),
        'my-run.json: field "testAccuracy" must be a fraction from 0 to 1 or null, got 2',
      ],
      [
        (r) => (r['backend'] = 'tpu'),
        'my-run.json: field "backend" must be one of "webgpu", "webgl", "cpu", null, got "tpu"',
      ],
      [
        (r) => ((r['metrics'] as { curve: Record<string, unknown>[] }).curve[1]!['taskLoss'] = 'x'),
        'my-run.json: field "metrics.curve[1].taskLoss" must be a number, got "x"',
      ],
      [
        (r) => (r['seedCost'] = { flops: 1 }),
        'my-run.json: field "seedCost.params" must be a number ≥ 0, got nothing',
      ],
    ];
    for (const [edit, message] of cases) expect(problem(edit)).toBe(message);
  });

  it('names the layer of a broken spec inside the run', () => {
    const msg = problem((r) => {
      const spec = r['spec'] as { layers: Record<string, unknown>[] };
      spec.layers[0]!['filters'] = 0;
    });
    expect(msg).toBe(
      'my-run.json: field "spec" is not a valid network spec: layer "conv1": field "filters": must be a positive integer, got 0',
    );
    expect(msg).not.toContain('\n');
  });

  it('rejects a file that is not JSON or not an object', () => {
    expect(() => parseRunFile('{ nope', 'x.json')).toThrow(/^x\.json: not valid JSON: /);
    expect(() => parseRunFile('[1]', 'x.json')).toThrow(
      'x.json: must be a JSON object (a MorphNet Studio run)',
    );
  });

  it('reads a null loss (how JSON writes NaN) back as NaN', () => {
    const r = sampleRun();
    r.metrics.curve[0]!.taskLoss = NaN;
    const back = parseRunFile(formatRunFile(r), 'a.json');
    expect(back.metrics.curve[0]!.taskLoss).toBeNaN();
  });
});
