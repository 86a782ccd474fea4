// "Start from" through the page's actions, against a fake worker: a link with start=mnist sends
// its first init only once the weights are checked, with them; Reset and a restarted worker
// start from them too; choosing untrained again is the worker's own reset.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Request, WorkerEvent } from '../../protocol/messages.ts';
import { flushEvents, resetRun, startStudio, type WorkerPort } from '../actions.ts';
import { useStudio } from '../store.ts';
import { chooseStart } from './actions.ts';
import { setPretrainedSource, useStartFrom } from './start.ts';

const header = JSON.stringify({
  format: 'morphnet-pretrained',
  encoding: 'float16',
  net: 'plain-cnn',
  dataset: 'mnist',
  tensors: [{ key: 'c/gamma', shape: [2] }],
});
const text = header + ' '.repeat((4 - (header.length % 4)) % 4);
const file = new Uint8Array(12 + text.length + 4);
file.set(new TextEncoder().encode('MNPT'), 0);
new DataView(file.buffer).setUint16(4, 1, true);
new DataView(file.buffer).setUint32(8, text.length, true);
file.set(new TextEncoder().encode(text), 12);
new DataView(file.buffer).setUint16(12 + text.length, 0x3800, true); // 0.5
new DataView(file.buffer).setUint16(14 + text.length, 0x3c00, true); // 1
const index = JSON.stringify({
  format: 'morphnet-pretrained-index',
  version: 1,
  files: [
    {
      net: 'plain-cnn',
      dataset: 'mnist',
      file: 'plain-cnn-mnist.bin',
      bytes: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
      testAccuracy: 0.98,
      testExamples: 10000,
      checkAccuracy: 0.98,
      checkExamples: 1000,
    },
  ],
});

const spec = { name: 'plain-cnn', input: { height: 1, width: 1, channels: 1 }, classes: 2, layers: [] };
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('start from, through the actions', () => {
  it('waits for the checked weights, sends them with every fresh init, and resets to them', async () => {
    setPretrainedSource({
      base: '/p/',
      fetch: (u) => {
        const body = u === '/p/index.json' ? new TextEncoder().encode(index) : u === '/p/plain-cnn-mnist.bin' ? file : null;
        return Promise.resolve({
          ok: body !== null,
          status: body === null ? 404 : 200,
          text: () => Promise.resolve(new TextDecoder().decode(body!)),
          arrayBuffer: () => Promise.resolve(body!.slice().buffer),
        });
      },
    });
    const workers: { sent: Request[]; port: WorkerPort }[] = [];
    const url = { search: '?net=plain-cnn&start=mnist', read: () => url.search, write: (s: string) => void (url.search = s) };
    startStudio(
      () => {
        const w = { sent: [] as Request[], port: null as unknown as WorkerPort };
        w.port = { postMessage: (m) => w.sent.push(m), onmessage: null, terminate: () => {} };
        workers.push(w);
        return w.port;
      },
      url,
      '/data/',
      { now: () => 0, later: () => {} },
    );
    const sent = () => workers.at(-1)!.sent;
    expect(sent()).toEqual([]);
    expect(useStartFrom.getState().loading).toBe(true);
    for (let i = 0; i < 10 && sent().length === 0; i++) await tick();
    const init = sent()[0];
    expect(init?.type === 'init' && init.initialWeights).toEqual({ 'c/gamma': { shape: [2], values: Float32Array.from([0.5, 1]) } });
    expect(useStartFrom.getState().loading).toBe(false);

    const ready = () => {
      const e: WorkerEvent = {
        type: 'ready',
        spec,
        seedSpec: spec,
        seedCost: { flops: 1, params: 1 },
        cycle: 0,
        history: [],
        datasetName: 'mnist',
        classNames: [],
      };
      workers.at(-1)!.port.onmessage?.({ data: e } as MessageEvent<WorkerEvent>);
      flushEvents();
    };
    ready();
    resetRun();
    const again = sent().at(-1);
    expect(again?.type).toBe('init');
    expect(again?.type === 'init' && again.initialWeights?.['c/gamma']?.values).toEqual(Float32Array.from([0.5, 1]));

    ready();
    chooseStart('untrained');
    expect(sent().at(-1)).toEqual({ type: 'reset' });
    expect(url.search).toBe('?net=plain-cnn');
    expect(useStudio.getState().notice).toBeNull();
  });
});
