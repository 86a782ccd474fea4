// The runs list's "Import…": a run file the person chose, its size checked before it is read,
// then validated against its own spec and stored (runs.ts). Resolves to the line the panel shows;
// a bad file rejects with one line naming the file and the field, and nothing is stored.
import { readImportFile, type ImportFile } from '../import-file.ts';
import { importRunFile } from './runs.ts';

export async function importRunFromFile(file: ImportFile): Promise<string> {
  const { record, already } = await importRunFile(await readImportFile(file, 'run'), file.name);
  return already
    ? `This run is already in the list (kept your name “${record.name}”).`
    : `Imported “${record.name}”.`;
}
