// `morphnet train` end to end through the real entry point on the cpu backend, a tiny network and
// a few steps: a diverged run, an interrupted and resumed one, a reused --out, a diverged sweep.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunFile } from './train-loop.ts';

const BIN = join(import.meta.dirname, '../../bin/morphnet.mjs');
const dir = mkdtempSync(join(tmpdir(), 'morphnet-train-'));

const tiny = {
  name: 'tiny',
  input: { height: 32, width: 32, channels: 3 },
  classes: 6,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 4, kernel: 3, stride: 2 },
    { name: 'c2', type: 'conv', from: 'c1', filters: 6, kernel: 3, stride: 2 },
    { name: 'pool', type: 'gap', from: 'c2' },
    { name: 'logits', type: 'dense', from: 'pool', units: 6 },
  ],
};
// No batch norm and no ReLU: at the page's highest learning rate (1) this goes NaN within 5 steps.
const linear = {
  name: 'linear',
  input: { height: 32, width: 32, channels: 3 },
  classes: 6,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 16, kernel: 3, stride: 4, bn: false, relu: false },
    { name: 'pool', type: 'gap', from: 'c1' },
    { name: 'd1', type: 'dense', from: 'pool', units: 64, relu: false },
    { name: 'd2', type: 'dense', from: 'd1', units: 64, relu: false },
    { name: 'logits', type: 'dense', from: 'd2', units: 6 },
  ],
};
writeFileSync(join(dir, 'tiny.json'), JSON.stringify(tiny));
writeFileSync(join(dir, 'linear.json'), JSON.stringify(linear));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

type Kill = (signal: NodeJS.Signals) => void;

function cli(args: string[], onStart?: (kill: Kill) => void, onStderr?: (stderr: string, kill: Kill) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onStart?.((signal) => child.kill(signal));
  });
}

const readRun = (out: string): RunFile => JSON.parse(readFileSync(join(dir, out, 'run.json'), 'utf8')) as RunFile;
const train = (out: string, ...extra: string[]) =>
  ['train', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', out, '--backend', 'cpu', '--batch', '4', ...extra];
const aliveFiles = (out: string) => readdirSync(join(dir, out, 'learned_structure')).sort();

/** Polls until run.json holds a readback (or the run has ended), then sends `signal`. */
function afterFirstReadback(out: string, signal: NodeJS.Signals) {
  return (kill: (s: NodeJS.Signals) => void) => {
    const timer = setInterval(() => {
      try {
        if (readRun(out).history.length > 0) {
          clearInterval(timer);
          kill(signal);
        }
      } catch {
        /* not written yet, or being renamed into place */
      }
    }, 5);
  };
}

describe('morphnet train', () => {
  it('stops a diverged run at the first non-finite readback, marks it in run.json and exits 3', async () => {
    const r = await cli(['train', '--spec', 'linear.json', '--dataset', 'shapes', '--out', 'nan', '--backend', 'cpu', '--lr', '1', '--steps', '40', '--batch', '8']);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('done:');
    expect(r.stderr.split('\n').at(-2)).toBe(
      `morphnet: training diverged at step 10 (task loss NaN); try a lower --lr or --strength; wrote ${join('nan', 'run.json')}`,
    );
    const run = readRun('nan');
    expect(run.status).toBe('diverged');
    expect(run.diverged).toEqual({ step: 10, reason: 'the task loss became NaN at step 10' });
    expect(run.final).toBeUndefined();
    expect(run.history).toEqual([]);
    expect(aliveFiles('nan')).toEqual([]); // no all-zero structure for expand to widen
  }, 120_000);

  it('a run interrupted by SIGINT resumes to the numbers of an uninterrupted run', async () => {
    const args = ['--steps', '40', '--eval-every', '20', '--seed', '3'];
    const [whole, cut] = await Promise.all([cli(train('whole', ...args)), cli(train('cut', ...args), afterFirstReadback('cut', 'SIGINT'))]);
    expect(whole.code).toBe(0);
    expect(cut.code).toBe(130);
    const stopped = readRun('cut');
    expect(stopped.status).toBe('interrupted');
    expect(stopped.interrupted!.step).toBeLessThan(40);
    expect(cut.stderr.split('\n').at(-2)).toBe(
      `morphnet: interrupted at step ${stopped.interrupted!.step} of 40; wrote ${join('cut', 'run.json')} and ` +
        `${join('cut', 'checkpoint.json')} (continue with: morphnet train --resume cut)`,
    );
    expect(existsSync(join(dir, 'cut', 'checkpoint.json'))).toBe(true);

    const resumed = await cli(['train', '--resume', 'cut']);
    expect(resumed.stderr).toMatch(/done: 40 steps in \d+ s on cpu; FLOPs [\d.]+%, size [\d.]+% of the seed; test accuracy [\d.]+%; wrote cut\/run\.json\n$/);
    expect(resumed.code).toBe(0);
    const a = readRun('whole');
    const b = readRun('cut');
    expect(b.status).toBe('done');
    const { seconds: _a, ...finalA } = a.final!;
    const { seconds: _b, ...finalB } = b.final!;
    expect(finalB).toEqual(finalA);
    expect(b.history).toEqual(a.history);
    expect(aliveFiles('cut')).toEqual(['alive_20', 'alive_40']);
    for (const f of aliveFiles('cut')) {
      expect(readFileSync(join(dir, 'cut', 'learned_structure', f), 'utf8')).toBe(readFileSync(join(dir, 'whole', 'learned_structure', f), 'utf8'));
    }
    // Resuming a finished run is refused.
    expect((await cli(['train', '--resume', 'cut'])).stderr).toBe('morphnet: train: the run in "cut" is finished (40 steps); nothing to resume\n');
  }, 300_000);

  it('SIGTERM also writes the run and a checkpoint, exit 143; --force then starts afresh', async () => {
    const r = await cli(train('term', '--steps', '400', '--eval-every', '200'), afterFirstReadback('term', 'SIGTERM'));
    expect(r.code).toBe(143);
    expect(readRun('term').status).toBe('interrupted');
    expect(readRun('term').interrupted!.signal).toBe('SIGTERM');
    writeFileSync(join(dir, 'term', 'learned_structure', 'alive_300'), '{}'); // as if from a longer run
    const refused = await cli(train('term', '--steps', '10'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^morphnet: train: "term" already holds a run \(run\.json, checkpoint\.json, 1 learned_structure\/alive_\* file\)/);
    const forced = await cli(train('term', '--steps', '10', '--force'));
    expect(forced.code).toBe(0);
    expect(aliveFiles('term')).toEqual(['alive_10']);
    expect(existsSync(join(dir, 'term', 'checkpoint.json'))).toBe(false); // the old run's is gone; none at the last step
    expect(readRun('term').settings.steps).toBe(10);
  }, 300_000);

  it('a sweep stops at a diverged network, says which, writes nothing (no point had finished) and exits 3', async () => {
    const r = await cli(['sweep', '--spec', 'linear.json', '--dataset', 'shapes', '--out', 'sweep.json', '--backend', 'cpu', '--lr', '1', '--steps', '20', '--batch', '8', '--multipliers', '1', '--prune', '', '--strengths', '']);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n').at(-2)).toBe(
      'morphnet: sweep: training uniform ×1 diverged at step 10 (task loss NaN); try a lower --lr or --strengths; no point had finished, nothing written',
    );
    expect(existsSync(join(dir, 'sweep.json'))).toBe(false);
  }, 120_000);

  it('a sweep stopped by SIGINT writes the points that finished and exits 130', async () => {
    let sent = false;
    const r = await cli(
      ['sweep', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', 'part.json', '--backend', 'cpu', '--steps', '60', '--batch', '4', '--multipliers', '0.5,1', '--prune', '', '--strengths', ''],
      undefined,
      (stderr, kill) => {
        if (!sent && stderr.includes('[1/2] uniform ×0.5')) {
          sent = true;
          kill('SIGINT');
        }
      },
    );
    expect(r.code).toBe(130);
    expect(r.stderr.split('\n').at(-2)).toBe('morphnet: sweep: interrupted (SIGINT) while training uniform ×1; wrote the 1 finished point to part.json');
    const file = JSON.parse(readFileSync(join(dir, 'part.json'), 'utf8')) as { points: Array<{ label: string }> };
    expect(file.points.map((p) => p.label)).toEqual(['×0.5']);
  }, 300_000);
});
