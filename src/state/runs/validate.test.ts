import { describe, expect, it } from 'vitest';
import { formatRunFile, parseRunFile, RunFileError, validateRunRecord } from './validate.ts';
import { sampleRun } from './fixture.test-util.ts';
import type { RunFault } from './record.ts';

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
        (r) => ((r['settings'] as Record<string, unknown>)['target'] = 'speed'),
        'my-run.json: field "settings.target" is not a valid value: "speed"',
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
        'my-run.json: field "backend" must be one of "webgpu", "webgl", "wasm", "cpu", null, got "tpu"',
      ],
      [
        (r) => ((r['metrics'] as { curve: Record<string, unknown>[] }).curve[1]!['taskLoss'] = 'x'),
        'my-run.json: field "metrics.curve[1].taskLoss" must be a finite number or null, got "x"',
      ],
      [
        (r) => (r['seedCost'] = { flops: 1 }),
        'my-run.json: field "seedCost.params" must be a number ≥ 0, got nothing',
      ],
    ];
    for (const [edit, message] of cases) expect(problem(edit)).toBe(message);
  });

  it('reads a latency run’s device and batch, and checks every number of them', () => {
    const t4 = { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 1 };
    const r = sampleRun({ settings: { ...sampleRun().settings, target: 'latency' }, latency: t4 });
    expect(parseRunFile(formatRunFile(r), 'a.json').latency).toEqual(t4);
    const measured = {
      hardware: { name: 'this device', peakGflops: 31.6, bandwidthGbs: 18, opOverheadNs: 12000 },
      batch: 8,
    };
    expect(parseRunFile(formatRunFile({ ...r, latency: measured })).latency).toEqual(measured);
    // A run from before the field (or of another target) has none, and still imports.
    expect(parseRunFile(formatRunFile(sampleRun())).latency).toBeUndefined();
    const withLatency = (edit: (l: Record<string, unknown>, h: Record<string, unknown>) => void) =>
      problem((v) => {
        const l = JSON.parse(JSON.stringify(t4)) as Record<string, unknown>;
        edit(l, l['hardware'] as Record<string, unknown>);
        v['latency'] = l;
      });
    const cases: [(l: Record<string, unknown>, h: Record<string, unknown>) => void, string][] = [
      [
        (_, h) => (h['peakGflops'] = 0),
        'field "latency.hardware.peakGflops" must be a positive number, got 0',
      ],
      [
        (_, h) => (h['bandwidthGbs'] = -3),
        'field "latency.hardware.bandwidthGbs" must be a positive number, got -3',
      ],
      [
        (_, h) => (h['peakGflops'] = '8100'),
        'field "latency.hardware.peakGflops" must be a positive number, got "8100"',
      ],
      [
        (_, h) => (h['peakGflops'] = null),
        'field "latency.hardware.peakGflops" must be a positive number, got null',
      ],
      [
        (_, h) => (h['opOverheadNs'] = -1),
        'field "latency.hardware.opOverheadNs" must be a number ≥ 0, got -1',
      ],
      [
        (_, h) => (h['name'] = 'x'.repeat(41)),
        'field "latency.hardware.name" is 41 characters long; it can be at most 40',
      ],
      [(_, h) => (h['name'] = ''), 'field "latency.hardware.name" must be a non-empty string, got ""'],
      [(_, h) => delete h['bandwidthGbs'], 'field "latency.hardware.bandwidthGbs" is missing'],
      [(_, h) => (h['clock'] = 1), 'field "latency.hardware.clock" is not a field of a device'],
      [(l) => (l['batch'] = 0), 'field "latency.batch" must be a whole number from 1 to 512, got 0'],
      // The page's and the CLI's latency batch range: no run can have priced more.
      [(l) => (l['batch'] = 513), 'field "latency.batch" must be a whole number from 1 to 512, got 513'],
      [(l) => (l['batch'] = 1.5), 'field "latency.batch" must be a whole number ≥ 0, got 1.5'],
      [(l) => delete l['batch'], 'field "latency.batch" is missing'],
      [(l) => (l['hardware'] = 'T4'), 'field "latency.hardware" must be an object, got "T4"'],
    ];
    for (const [edit, message] of cases) expect(withLatency(edit)).toBe(`my-run.json: ${message}`);
    // JSON writes 1e999 as Infinity once parsed: refused, never kept.
    expect(() => parseRunFile(formatRunFile(r).replace('8100', '1e999'))).toThrow(
      'field "latency.hardware.peakGflops" must be a positive number, got Infinity',
    );
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

describe('run file validator: against the run’s own networks', () => {
  /** The message for a sample run's file text changed by `edit` (text, so 1e999 and __proto__ go in as written). */
  const fromText = (edit: (text: string) => string): string => {
    try {
      parseRunFile(edit(formatRunFile(sampleRun())), 'my-run.json');
    } catch (e) {
      expect(e).toBeInstanceOf(RunFileError);
      return (e as Error).message;
    }
    throw new Error('expected the validator to reject it');
  };
  type R = Record<string, unknown>;
  const at = (r: R, path: string): R => path.split('.').reduce((o, k) => o[k] as R, r);

  it('checks alive counts, costs and readings against the spec (plain-cnn: 16 channels in conv1, 14677760 FLOPs)', () => {
    const cases: [(r: R) => void, string][] = [
      [
        (r) => (at(r, 'alive')['conv1'] = 17),
        'my-run.json: field "alive.conv1" is 17, more than the layer\'s 16 channels in "spec"',
      ],
      [
        (r) => (at(r, 'alive')['fc'] = 3),
        'my-run.json: field "alive.fc" is not a conv or depthwise layer of the network in "spec"',
      ],
      [
        (r) => (at(r, 'alive')['logits'] = 3),
        'my-run.json: field "alive.logits" is not a conv or depthwise layer of the network in "spec"',
      ],
      [
        (r) => (at(r, 'alive')['conv2'] = -1),
        'my-run.json: field "alive.conv2" must be a whole number ≥ 0, got -1',
      ],
      [
        (r) => (at(r, 'cost')['flops'] = 1e308),
        'my-run.json: field "cost.flops" is 1e+308, more than the 14677760 FLOPs of the whole network in "spec"',
      ],
      [
        (r) => (at(r, 'seedCost')['params'] = 72209),
        'my-run.json: field "seedCost.params" is 72209, more than the 72208 parameters of the whole network in "seedSpec"',
      ],
      [
        (r) => ((at(r, 'metrics')['costCurve'] as R[])[1]!['flops'] = 1e308),
        'my-run.json: field "metrics.costCurve[1].flops" is 1e+308, more than the 14677760 the largest network in the run costs',
      ],
      [
        (r) => ((at(r, 'metrics')['testCurve'] as R[])[0]!['accuracy'] = 1.7),
        'my-run.json: field "metrics.testCurve[0].accuracy" must be a fraction from 0 to 1 or null, got 1.7',
      ],
      [
        (r) => ((at(r, 'metrics')['curve'] as R[])[0]!['trainAccuracy'] = -0.1),
        'my-run.json: field "metrics.curve[0].trainAccuracy" must be a fraction from 0 to 1 or null, got -0.1',
      ],
      [
        (r) => ((at(r, 'metrics')['curve'] as R[])[0]!['cycle'] = 2),
        'my-run.json: field "metrics.curve[0].cycle" is 2, after the run\'s last cycle 0',
      ],
      [
        (r) => (r['testAccuracy'] = -0.5),
        'my-run.json: field "testAccuracy" must be a fraction from 0 to 1 or null, got -0.5',
      ],
      [
        (r) => (r['faults'] = [{ kind: 'oops', step: 1, restored: null, message: 'x' }]),
        'my-run.json: field "faults[0].kind" must be one of "diverged", "device-lost", "crashed", got "oops"',
      ],
    ];
    for (const [edit, message] of cases) expect(problem(edit)).toBe(message);
  });

  it('reads the faults a run went through', () => {
    const faults: RunFault[] = [
      { kind: 'diverged', step: 40, restored: 30, message: 'The loss became NaN at step 40.' },
      { kind: 'crashed', step: 50, restored: null, message: 'The worker stopped.' },
    ];
    const value = JSON.parse(formatRunFile({ ...sampleRun(), faults })) as R;
    expect(validateRunRecord(value, 'a.json').faults).toEqual(faults);
    expect(problem((r) => (r['faults'] = [{ ...faults[0], restored: 41 }]))).toBe(
      'my-run.json: field "faults[0].restored" is 41, after the fault\'s step 40',
    );
    expect(problem((r) => (r['faults'] = [{ kind: 'crashed', step: 1, message: 'x' }]))).toBe(
      'my-run.json: field "faults[0].restored" is missing',
    );
  });

  it('caps names and ids and refuses control characters in them', () => {
    const cases: [(r: R) => void, string][] = [
      [
        (r) => (r['name'] = 'x'.repeat(201)),
        'my-run.json: field "name" is 201 characters long; it can be at most 200',
      ],
      [
        (r) => (r['id'] = 'r'.repeat(101)),
        'my-run.json: field "id" is 101 characters long; it can be at most 100',
      ],
      [
        (r) => (r['name'] = 'run\u001b[2J'),
        'my-run.json: field "name" contains a control character (U+001B) at character 4',
      ],
      [
        (r) => (r['group'] = 'g\u202eevil'),
        'my-run.json: field "group" contains a control character (U+202E) at character 2',
      ],
      [
        (r) => (r['id'] = 'a\nb'),
        'my-run.json: field "id" contains a control character (U+000A) at character 2',
      ],
    ];
    for (const [edit, message] of cases) expect(problem(edit)).toBe(message);
  });

  it('reads numbers and keys as JSON data only: 1e999 is Infinity, __proto__ is refused and pollutes nothing', () => {
    expect(fromText((t) => t.replace('"step": 3', '"step": 1e999'))).toBe(
      'my-run.json: field "step" must be a whole number ≥ 0, got Infinity',
    );
    expect(fromText((t) => t.replace('"taskLoss": 2.3', '"taskLoss": 1e999'))).toBe(
      'my-run.json: field "metrics.curve[0].taskLoss" must be a finite number or null, got Infinity',
    );
    expect(fromText((t) => t.replace('"testAccuracy": 0.4', '"testAccuracy": -1e999'))).toBe(
      'my-run.json: field "testAccuracy" must be a fraction from 0 to 1 or null, got -Infinity',
    );
    expect(fromText((t) => t.replace('{', '{"__proto__": {"polluted": true},'))).toBe(
      'my-run.json: field "__proto__" is not a field of a run',
    );
    expect(fromText((t) => t.replace('"alive": {', '"alive": {"__proto__": {"polluted": true},'))).toBe(
      'my-run.json: field "alive.__proto__" is not a conv or depthwise layer of the network in "spec"',
    );
    expect(fromText((t) => t.replace('"seedCost": {', '"seedCost": {"__proto__": 1,'))).toBe(
      'my-run.json: field "seedCost.__proto__" is not a field of a cost',
    );
    expect(fromText((t) => t.replace('"settings": {', '"settings": {"constructor": 1,'))).toBe(
      'my-run.json: field "settings.constructor" is not a field of the settings',
    );
    expect(({} as R)['polluted']).toBeUndefined();
  });

  it('keeps a file’s specs normalized: a field outside the spec format is not carried along', () => {
    const value = JSON.parse(formatRunFile(sampleRun())) as R;
    (value['spec'] as R)['extra'] = { big: 1 };
    const back = validateRunRecord(value, 'a.json');
    expect(back.spec).toEqual(sampleRun().spec);
    expect(Object.keys(back.spec)).toEqual(['name', 'input', 'classes', 'layers']);
  });
});
