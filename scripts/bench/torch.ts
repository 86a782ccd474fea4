// PyTorch on this machine's CPU as a peer of the wasm engine: the same resnet-mini, exported by
// the studio's own `morphnet export --format pytorch`, timed by torch_step.py. Skipped, with a
// line saying why, where `python3 -c "import torch"` fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type TorchResult =
  { stepMs: number[]; threads: number; torch: string; batch: number } | { skipped: string };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function runTorch(batch: number, steps: number, log: (msg: string) => void): TorchResult {
  const probe = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return { skipped: '`python3 -c "import torch"` failed: PyTorch is not installed here' };
  const dir = mkdtempSync(join(os.tmpdir(), 'morphnet-bench-torch-'));
  try {
    const pkg = join(dir, 'resnet-mini');
    const exported = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'morphnet.mjs'),
        'export',
        '--spec',
        'resnet-mini',
        '--format',
        'pytorch',
        '--out',
        pkg,
      ],
      { encoding: 'utf8' },
    );
    if (exported.status !== 0) return { skipped: `morphnet export failed: ${exported.stderr.trim()}` };
    const threads = Math.min(2, os.cpus().length);
    log(`torch: resnet-mini, batch ${batch}, ${steps} steps, ${threads} threads (eager)`);
    const run = spawnSync(
      'python3',
      [
        join(ROOT, 'scripts', 'bench', 'torch_step.py'),
        pkg,
        '--batch',
        String(batch),
        '--steps',
        String(steps),
        '--threads',
        String(threads),
      ],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) return { skipped: `torch_step.py failed: ${run.stderr.trim().split('\n').pop()}` };
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      stepMs: number[];
      threads: number;
      torch: string;
    };
    return { ...out, batch };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
