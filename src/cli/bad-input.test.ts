// Every case of bad-input.cases.ts through the real entry point, each in a fresh directory:
// the exact stderr, the exit code, nothing on stdout, and no file written or changed.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_INPUTS, FIXTURES } from './bad-input.cases.ts';

const BIN = join(import.meta.dirname, '../../bin/morphnet.mjs');

function listFiles(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, listFiles(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return out;
}

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bad input on the command line', () => {
  it('has at least 40 cases, each named once', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_INPUTS.map((c) => c.what)).size).toBe(BAD_INPUTS.length);
  });

  it.concurrent.each(BAD_INPUTS.map((c) => [c.what, c] as const))('%s', async (_, c) => {
    const dir = mkdtempSync(join(tmpdir(), 'morphnet-bad-'));
    for (const [path, text] of Object.entries(FIXTURES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = await run(c.args, dir);
    expect({ stderr: r.stderr, code: r.code, stdout: r.stdout }).toEqual({ stderr: c.stderr, code: c.code, stdout: '' });
    expect(listFiles(dir)).toEqual(FIXTURES); // nothing written, nothing changed
  }, 60_000); // a loaded machine: each case starts Node, tsx and for some the dataset
});
