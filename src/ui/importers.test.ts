// The page's three importers (network spec, run, sweep) fed bad files, as a careless or hostile
// person would: each gets its exact one-line message, and nothing is stored, shown or changed.
// A file over its kind's limit is refused from its size alone: its text is never read.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedSpec } from '../morphnet/seeds.ts';
import { sampleRun } from '../state/runs/fixture.test-util.ts';
import { importRunFromFile } from '../state/runs/import.ts';
import { createRunRepository } from '../state/runs/repository.ts';
import { getRun, loadRuns, renameRun, setRunRepository, useRuns } from '../state/runs/runs.ts';
import { formatRunFile } from '../state/runs/validate.ts';
import { useStudio } from '../state/store.ts';
import {
  importSweepFile,
  resetTradeoffForTests,
  startTradeoff,
  type TradeoffEnv,
} from '../state/tradeoff/actions.ts';
import { loadImportedSweep } from '../state/tradeoff/cache.ts';
import { initialTradeoffState, useTradeoffStore } from '../state/tradeoff/store.ts';
import { importSpecFile } from './NetworkPicker.tsx';

const MB = 1024 * 1024;
type Json = Record<string, unknown>;
const sweepText = readFileSync(
  new URL('../../e2e/fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url),
  'utf8',
);
const runText = formatRunFile(sampleRun({ id: 'run-imported' }));

/** A file whose text says whether it was read; `size` defaults to the text's length. */
function file(name: string, text: string, size = text.length) {
  const f = {
    name,
    size,
    read: false,
    text: () => {
      f.read = true;
      return Promise.resolve(text);
    },
  };
  return f;
}
const edit = (text: string, change: (v: Json) => void) => {
  const v = JSON.parse(text) as Json;
  change(v);
  return JSON.stringify(v);
};
const at = (v: Json, path: string): Json => path.split('.').reduce((o, k) => o[k] as Json, v);
const point = (v: Json, i: number) => (v['points'] as Json[])[i]!;

interface Case {
  name: string;
  text: string;
  size?: number;
  message: string;
}

const specCases: Case[] = [
  {
    name: 'huge-spec.json',
    text: '{}',
    size: 3 * MB,
    message: 'huge-spec.json is 3 MB; a network spec file can be at most 1 MB',
  },
  {
    name: 'just-over.json',
    text: '{}',
    size: MB + 1,
    message: 'just-over.json is 1,048,577 bytes; a network spec file can be at most 1 MB',
  },
  { name: 'list.json', text: '[1, 2]', message: 'list.json: must be a JSON object' },
  {
    name: 'zero.json',
    text: edit(JSON.stringify(seedSpec('plain-cnn')), (v) => ((v['layers'] as Json[])[0]!['filters'] = 0)),
    message: 'zero.json: layer "conv1": field "filters": must be a positive integer, got 0',
  },
  {
    name: 'no-layers.json',
    text: edit(JSON.stringify(seedSpec('plain-cnn')), (v) => delete v['layers']),
    message: 'no-layers.json: field "layers": missing',
  },
];

const runCases: Case[] = [
  {
    name: 'runs.json',
    text: runText,
    size: 48 * MB,
    message: 'runs.json is 48 MB; a run file can be at most 20 MB',
  },
  {
    name: 'edge.json',
    text: runText,
    size: 20 * MB + 1,
    message: 'edge.json is 20,971,521 bytes; a run file can be at most 20 MB',
  },
  {
    name: 'wide.json',
    text: edit(runText, (v) => (at(v, 'alive')['conv1'] = 4000)),
    message: 'wide.json: field "alive.conv1" is 4000, more than the layer\'s 16 channels in "spec"',
  },
  {
    name: 'ghost.json',
    text: edit(runText, (v) => (at(v, 'alive')['conv9'] = 1)),
    message: 'ghost.json: field "alive.conv9" is not a conv or depthwise layer of the network in "spec"',
  },
  {
    name: 'inf.json',
    text: runText.replace('"step": 3', '"step": 1e999'),
    message: 'inf.json: field "step" must be a whole number ≥ 0, got Infinity',
  },
  {
    name: 'acc.json',
    text: edit(runText, (v) => (v['testAccuracy'] = 1.7)),
    message: 'acc.json: field "testAccuracy" must be a fraction from 0 to 1 or null, got 1.7',
  },
  {
    name: 'flops.json',
    text: edit(runText, (v) => (at(v, 'cost')['flops'] = 1e308)),
    message:
      'flops.json: field "cost.flops" is 1e+308, more than the 14677760 FLOPs of the whole network in "spec"',
  },
  {
    name: 'escape.json',
    text: edit(runText, (v) => (v['name'] = '\u001b[31mred')),
    message: 'escape.json: field "name" contains a control character (U+001B) at character 1',
  },
  {
    name: 'long-id.json',
    text: edit(runText, (v) => (v['id'] = 'x'.repeat(5000))),
    message: 'long-id.json: field "id" is 5000 characters long; it can be at most 100',
  },
  {
    name: 'proto.json',
    text: runText.replace('{', '{"__proto__": {"polluted": true},'),
    message: 'proto.json: field "__proto__" is not a field of a run',
  },
  {
    name: 'a-sweep.json',
    text: sweepText,
    message:
      'a-sweep.json: field "format" must be "morphnet-run" (is this a MorphNet Studio run file?), got "morphnet-sweep"',
  },
];

const sweepCases: Case[] = [
  {
    name: 'sweep.json',
    text: sweepText,
    size: 9 * MB,
    message: 'sweep.json is 9 MB; a sweep file can be at most 8 MB',
  },
  {
    name: 'flops.json',
    text: edit(sweepText, (v) => (point(v, 0)['flops'] = 1e308)),
    message: 'flops.json: points[0] (×0.25): flops: is 1e+308, but the network in its spec has 1401024 FLOPs',
  },
  {
    name: 'params.json',
    text: edit(sweepText, (v) => (point(v, 3)['params'] = 1e308)),
    message:
      'params.json: points[3] (×1): params: is 1e+308, but the network in its spec has 72240 parameters',
  },
  {
    name: 'acc.json',
    text: edit(sweepText, (v) => (point(v, 1)['testAccuracy'] = 1.7)),
    message: 'acc.json: points[1] (×0.5): testAccuracy: expected a number in [0, 1], got 1.7',
  },
  {
    name: 'widths.json',
    text: edit(sweepText, (v) => (at(point(v, 1), 'widths')['conv6'] = 1e308)),
    message:
      'widths.json: points[1] (×0.5): widths.conv6: is 1e+308, but the layer has 32 channels in its spec',
  },
  {
    name: 'alive.json',
    text: edit(sweepText, (v) => (at(point(v, 9), 'alive')['conv5'] = 65)),
    message:
      'alive.json: points[9] (strength 8): alive.conv5: is 65, more than the 64 channels the layer has in the seed',
  },
  {
    name: 'label.json',
    text: edit(sweepText, (v) => (point(v, 0)['label'] = 'x\u0007')),
    message: 'label.json: points[0].label: contains a control character (U+0007) at character 2',
  },
  {
    name: 'inf.json',
    text: sweepText.replace('"testExamples": 512', '"testExamples": 1e999'),
    message: 'inf.json: testExamples: expected an integer ≥ 1, got Infinity',
  },
  {
    name: 'a-run.json',
    text: runText,
    message:
      'a-run.json: format: expected "morphnet-sweep" (a file written by morphnet sweep), got "morphnet-run"',
  },
];

let n = 0;
let env: TradeoffEnv;
beforeEach(async () => {
  setRunRepository(createRunRepository(`importers-${n}`));
  resetTradeoffForTests();
  useTradeoffStore.setState({ ...initialTradeoffState });
  env = { dbName: `importers-sweeps-${n++}`, fetchText: () => Promise.resolve(sweepText) };
  await startTradeoff('/sweeps/default.json', env);
});

describe('bad import files: one exact line each, nothing stored or changed', () => {
  it(`has at least 20 of them (${specCases.length + runCases.length + sweepCases.length})`, () => {
    expect(specCases.length + runCases.length + sweepCases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(specCases)('spec $name', async ({ name, text, size, message }) => {
    const before = useStudio.getState();
    const f = file(name, text, size);
    await importSpecFile(f);
    const after = useStudio.getState();
    expect(after.specError).toBe(message);
    expect(after.importedSpec).toBe(before.importedSpec);
    expect(after.settings).toBe(before.settings);
    expect(f.read).toBe(size === undefined);
    useStudio.setState({ specError: null });
  });

  it.each(runCases)('run $name', async ({ name, text, size, message }) => {
    await loadRuns();
    const before = useRuns.getState().runs;
    const f = file(name, text, size);
    await expect(importRunFromFile(f)).rejects.toThrow(message);
    await expect(importRunFromFile(f)).rejects.toThrow(/^[^\n]+$/);
    expect(f.read).toBe(size === undefined);
    expect(useRuns.getState().runs).toBe(before);
    expect(await loadRuns()).toEqual([]);
    expect(({} as Json)['polluted']).toBeUndefined();
  });

  it.each(sweepCases)('sweep $name', async ({ name, text, size, message }) => {
    const before = useTradeoffStore.getState();
    const f = file(name, text, size);
    expect(await importSweepFile(f, env)).toBe(false);
    const after = useTradeoffStore.getState();
    expect(after.importError).toBe(message);
    expect(after.sweep).toBe(before.sweep);
    expect(after.origin).toEqual({ kind: 'default', url: '/sweeps/default.json' });
    expect(await loadImportedSweep(env.dbName)).toBeNull();
    expect(f.read).toBe(size === undefined);
  });
});

describe('importing a run that is already in the list', () => {
  it('keeps the name the person gave it and says so; a good file at the limit is read', async () => {
    const good = file('mine.json', runText, 20 * MB);
    expect(await importRunFromFile(good)).toBe(`Imported “${sampleRun().name}”.`);
    await renameRun('run-imported', 'my best run');
    const stored = await getRun('run-imported');
    expect(await importRunFromFile(file('mine.json', runText))).toBe(
      'This run is already in the list (kept your name “my best run”).',
    );
    expect(await getRun('run-imported')).toEqual(stored);
    expect(useRuns.getState().runs.map((r) => [r.id, r.name])).toEqual([['run-imported', 'my best run']]);
  });
});
