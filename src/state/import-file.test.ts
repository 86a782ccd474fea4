import { describe, expect, it } from 'vitest';
import { ImportFileError, readImportFile, sizeProblem } from './import-file.ts';

const MB = 1024 * 1024;

/** A file that counts how often its text was read. */
function file(name: string, size: number, text: () => Promise<string> = () => Promise.resolve('{}')) {
  const f = { name, size, reads: 0, text: () => (f.reads++, text()) };
  return f;
}

describe('import files: the size is checked before the file is read', () => {
  it('states each kind’s limit in plain words', () => {
    expect(sizeProblem({ name: 'runs.json', size: 48 * MB }, 'run')).toBe(
      'runs.json is 48 MB; a run file can be at most 20 MB',
    );
    expect(sizeProblem({ name: 'net.json', size: 1.5 * MB }, 'spec')).toBe(
      'net.json is 1.5 MB; a network spec file can be at most 1 MB',
    );
    expect(sizeProblem({ name: 's.json', size: 2 * 1024 ** 3 }, 'sweep')).toBe(
      's.json is 2048 MB; a sweep file can be at most 8 MB',
    );
    // Just over: rounding to MB would read "20 MB … at most 20 MB", so the bytes are given.
    expect(sizeProblem({ name: 'edge.json', size: 20 * MB + 1 }, 'run')).toBe(
      'edge.json is 20,971,521 bytes; a run file can be at most 20 MB',
    );
    expect(sizeProblem({ name: 'ok.json', size: 20 * MB }, 'run')).toBeNull();
  });

  it('never reads a file over the limit, and reads one within it once', async () => {
    const big = file('big.json', 9 * MB);
    await expect(readImportFile(big, 'sweep')).rejects.toThrow(
      new ImportFileError('big.json is 9 MB; a sweep file can be at most 8 MB'),
    );
    expect(big.reads).toBe(0);
    const small = file('small.json', 2);
    expect(await readImportFile(small, 'sweep')).toBe('{}');
    expect(small.reads).toBe(1);
  });

  it('says in one line when the browser cannot read the file', async () => {
    const gone = file('gone.json', 10, () => Promise.reject(new Error('NotReadableError\nat …')));
    await expect(readImportFile(gone, 'spec')).rejects.toThrow(
      /^gone\.json: could not read the file \(NotReadableError\)$/,
    );
  });
});
