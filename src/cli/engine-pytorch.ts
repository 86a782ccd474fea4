// `--engine pytorch`: the network exported as the PyTorch package (src/export) into a temporary
// folder, its train.py run by python3 with the command's settings, and its `--jsonl` readbacks
// handed to the caller one by one. The folder goes when the run ends, however it ends.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { NetworkSpec } from '../morphnet/types.ts';
import type { Schedule } from '../morphnet/schedule.ts';
import { defaultDataDir } from '../engine/data/node.ts';
import type { DatasetName, TrainSettings } from '../engine/types.ts';
import { UsageError } from './errors.ts';
import { writePytorchPackage } from './export.ts';
import { sanitize } from './format.ts';
import type { HistoryEntry } from './train-loop.ts';

export type Engine = 'tfjs' | 'pytorch';

export const TORCH_INSTALL = 'pip install torch --index-url https://download.pytorch.org/whl/cpu';

export function parseEngine(command: string, value: string | undefined): Engine {
  if (value === undefined) return 'tfjs';
  if (value !== 'tfjs' && value !== 'pytorch') {
    throw new UsageError(`${command}: --engine must be tfjs or pytorch, got "${value}"`);
  }
  return value;
}

/** The interpreter: MORPHNET_PYTHON if set (another Python, or a test's stand-in), else python3 on PATH. */
export const pythonCommand = (): string => process.env.MORPHNET_PYTHON || 'python3';

/**
 * Checks that the interpreter imports torch, before anything slow starts; returns the device
 * train.py will use ('cpu' or 'cuda'). Missing python3 or torch is the user's to fix: one line.
 */
export function checkTorch(): string {
  const py = pythonCommand();
  const probe = 'import torch; print("cuda" if torch.cuda.is_available() else "cpu")';
  const r = spawnSync(py, ['-c', probe], { encoding: 'utf8', timeout: 120_000 });
  const device = r.status === 0 ? r.stdout.trim().split('\n').at(-1) : undefined;
  if (device !== 'cpu' && device !== 'cuda') {
    throw new UsageError(`--engine pytorch needs PyTorch: ${py} -c "import torch" failed (install: ${TORCH_INSTALL})`);
  }
  return device;
}

/**
 * What train.py reports at a readback (every 10 steps and at each evaluation): the fields of a
 * run.json history entry, testAccuracy at evaluations only (1000 test examples, all at the last step).
 */
export type TorchReadback = HistoryEntry;

export interface TorchJob {
  spec: NetworkSpec;
  /** The seed `spec` comes from (F(seed) is the strength's unit); default `spec`. */
  seed?: NetworkSpec;
  /** The built-in seed's name when `spec` is it unchanged (the package's run file). */
  net?: string | null;
  dataset: DatasetName;
  settings: TrainSettings;
  steps: number;
  evalEvery: number;
  /** The learning rate's schedule (src/morphnet/schedule.ts); absent: constant, no warm-up. */
  schedule?: Schedule;
  /** Each readback, with the alive file train.py wrote for it at an evaluation; 'stop' ends the run. */
  onReadback(r: TorchReadback, aliveText: string | null): 'go' | 'stop';
  /** Looked at while the child runs: a signal here is forwarded to it and ends the run. */
  stopRequested(): NodeJS.Signals | null;
}

/** How the child ended: all its steps, or stopped by onReadback or a forwarded signal. */
export type TorchEnd = 'done' | 'stopped';

/** JSON as Python writes it: a float that overflowed is a bare Infinity (NaN is already null). */
function parseLine(line: string): TorchReadback | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line.replace(/(?<=[:,[]\s*)(-?Infinity|NaN)\b/g, '"$1"')) as Record<string, unknown>;
  } catch {
    return null;
  }
  const n = (k: string) => (o[k] === null ? NaN : Number(o[k]));
  if (typeof o.step !== 'number') return null;
  const r: TorchReadback = {
    step: o.step,
    taskLoss: n('taskLoss'),
    regLoss: n('regLoss'),
    regValue: n('regValue'),
    trainAccuracy: n('trainAccuracy'),
    flops: n('flops'),
    params: n('params'),
  };
  if ('latencyNs' in o) r.latencyNs = n('latencyNs');
  if ('testAccuracy' in o) r.testAccuracy = n('testAccuracy');
  return r;
}

/** train.py's flags for a schedule; none for the constant rate it trains under by default. */
export function scheduleArgs(s: Schedule | undefined): string[] {
  if (s === undefined || (s.kind === 'constant' && s.warmup === 0)) return [];
  return ['--schedule', s.kind, '--warmup', String(s.warmup)];
}

/** Runs train.py on `job` and resolves when the child has exited and the temporary folder is gone. */
export async function runTorch(job: TorchJob): Promise<TorchEnd> {
  const tmp = mkdtempSync(join(tmpdir(), 'morphnet-torch-'));
  const pkg = join(tmp, 'package');
  const out = join(tmp, 'out');
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  try {
    // The device latency is priced for travels in plan.json: train.py trains towards it under
    // target latency and reports the predicted latency at each readback under any target.
    const latency = job.settings.latency ?? null;
    writePytorchPackage(pkg, job.spec, { seed: job.seed ?? job.spec, net: job.net ?? null, latency });
  } catch (e) {
    cleanup();
    throw e;
  }
  const s = job.settings;
  const args = [
    join(pkg, 'train.py'),
    ...['--data', defaultDataDir(), '--dataset', job.dataset, '--steps', String(job.steps)],
    ...['--batch', String(s.batch), '--lr', String(s.lr), '--target', s.target, '--strength', String(s.strength)],
    ...['--threshold', String(s.threshold), '--seed', String(s.seed), '--eval-every', String(job.evalEvery)],
    ...scheduleArgs(job.schedule),
    ...['--jsonl', '--out', out],
  ];
  const child = spawn(pythonCommand(), args, { cwd: pkg, stdio: ['ignore', 'pipe', 'pipe'] });
  // A second signal ends this process at once (process.exit): the child and the folder go with it.
  const onExit = () => {
    child.kill('SIGKILL');
    cleanup();
  };
  process.on('exit', onExit);
  let stopped = false;
  const stop = (signal: NodeJS.Signals) => {
    if (!stopped) child.kill(signal);
    stopped = true;
  };
  const poll = setInterval(() => {
    const signal = job.stopRequested();
    if (signal !== null) stop(signal);
  }, 50);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  // What onReadback threw (an output that cannot be written): the child is stopped, then it is rethrown.
  let failure: unknown = null;
  lines.on('line', (line) => {
    if (stopped) return;
    const r = parseLine(line);
    if (r === null) return;
    try {
      // train.py writes an evaluation's alive file before it prints the line.
      const alive = r.testAccuracy === undefined ? null : readFileSync(join(out, 'learned_structure', `alive_${r.step}`), 'utf8');
      if (job.onReadback(r, alive) === 'stop') stop('SIGTERM');
    } catch (e) {
      failure = e;
      stop('SIGTERM');
    }
  });
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c, sig) => resolve([c, sig]));
      // Stopped: its last lines are not wanted, and a process it started may hold its pipes open.
      child.on('exit', (c, sig) => {
        if (stopped) {
          child.stdout.destroy();
          child.stderr.destroy();
          resolve([c, sig]);
        }
      });
    });
    if (failure !== null) throw failure;
    if (job.stopRequested() !== null) stopped = true;
    if (stopped) return 'stopped';
    if (code === 0) return 'done';
    const last = stderr.trim().split('\n').at(-1) ?? '';
    const why = sanitize(last.replace(/^train\.py: /, ''));
    // Exit 2 is train.py refusing its input (data it cannot read, a batch over the examples).
    if (code === 2) throw new UsageError(`--engine pytorch: train.py refused the run: ${why}`);
    throw new Error(`--engine pytorch: train.py failed (${code === null ? signal : `exit ${code}`}): ${why}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`--engine pytorch needs PyTorch: ${pythonCommand()} not found (install: ${TORCH_INSTALL})`);
    throw e;
  } finally {
    clearInterval(poll);
    lines.close();
    process.off('exit', onExit);
    cleanup();
  }
}
