// The page's three importers (a network spec, a run, a sweep) read a file the person chose. Its
// size is checked from `file.size` before a byte of it is read, so a 2 GB file picked by mistake
// is one plain line, not a frozen tab; then it is read as text, and each importer parses it with
// JSON.parse only (no reviver) and validates it before anything is stored or drawn.
import { MAX_SPEC_BYTES } from '../morphnet/spec.ts';
import { MAX_SWEEP_BYTES } from '../morphnet/sweep-validate.ts';
import { MAX_RUN_BYTES } from './runs/validate.ts';

export type ImportKind = 'spec' | 'run' | 'sweep';

/** The largest file each importer takes, and what the message calls such a file. */
export const IMPORT_LIMITS: Readonly<Record<ImportKind, { bytes: number; what: string }>> = {
  spec: { bytes: MAX_SPEC_BYTES, what: 'a network spec file' },
  run: { bytes: MAX_RUN_BYTES, what: 'a run file' },
  sweep: { bytes: MAX_SWEEP_BYTES, what: 'a sweep file' },
};

/** What the importers need of a File (tests pass their own). */
export interface ImportFile {
  name: string;
  size: number;
  text: () => Promise<string>;
}

export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

const MB = 1024 * 1024;

/** "48 MB", "1.5 MB"; the exact byte count when rounding would hide that it is over `limit`. */
function megabytes(bytes: number, limit: number): string {
  const rounded = bytes >= 10 * MB ? Math.round(bytes / MB) : Math.round((bytes / MB) * 10) / 10;
  return rounded * MB > limit ? `${rounded} MB` : `${bytes.toLocaleString('en-US')} bytes`;
}

/** The one line for a file over its kind's limit ("runs.json is 48 MB; a run file can be at most 20 MB"), or null. */
export function sizeProblem(file: Pick<ImportFile, 'name' | 'size'>, kind: ImportKind): string | null {
  const { bytes, what } = IMPORT_LIMITS[kind];
  if (file.size <= bytes) return null;
  return `${file.name} is ${megabytes(file.size, bytes)}; ${what} can be at most ${bytes / MB} MB`;
}

/** The file's text, once its size is known to be within the limit; throws one ImportFileError line. */
export async function readImportFile(file: ImportFile, kind: ImportKind): Promise<string> {
  const tooBig = sizeProblem(file, kind);
  if (tooBig !== null) throw new ImportFileError(tooBig);
  try {
    return await file.text();
  } catch (e) {
    const why = ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').trim();
    throw new ImportFileError(`${file.name}: could not read the file${why === '' ? '' : ` (${why})`}`);
  }
}
