// Builds the page into a temp folder and serves it with `vite preview` on a free port, so the
// benchmark runs on a fresh machine and never touches dist/ or another helper's server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${err.trim().split('\n').at(-1)}`)),
    );
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForUrl(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end)
      throw new Error(`vite preview did not answer at ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Served {
  url: string;
  buildMs: number;
  close(): void;
}

export async function buildAndServe(root: string, port: number | null): Promise<Served> {
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const dir = mkdtempSync(join(tmpdir(), 'bench-dist-'));
  const t0 = performance.now();
  await run(vite, ['build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], root);
  const buildMs = performance.now() - t0;
  const p = port ?? (await freePort());
  const child: ChildProcess = spawn(vite, ['preview', '--port', String(p), '--strictPort', '--outDir', dir], {
    cwd: root,
    stdio: 'ignore',
  });
  const url = `http://localhost:${p}`;
  const close = () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForUrl(url, 30_000);
  } catch (err) {
    close();
    throw err;
  }
  return { url, buildMs, close };
}
