// "PyTorch package" downloads: the exported package (src/export) of a run, zipped in the page.
// fflate writes the zip: the browser has no zip writer, and a few text files need nothing more.
import { strToU8, zipSync } from 'fflate';
import { runPytorchPackage, type RunNetwork, type RunPackageWidths } from '../../export/run-package.ts';
import { pytorchSources } from '../../export/sources.ts';
import { download, fileSafe } from './files.ts';

/** The package's files inside one folder, as zip bytes (deterministic: fixed timestamps). */
export function pytorchZip(run: RunNetwork, folder: string, widths: RunPackageWidths): Uint8Array {
  const files = runPytorchPackage(run, pytorchSources, widths);
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const mtime = new Date(Date.UTC(2020, 0, 1));
  for (const [name, text] of Object.entries(files)) entries[`${folder}/${name}`] = [strToU8(text), { mtime }];
  return zipSync(entries, { level: 6 });
}

/** Downloads `<name>-pytorch.zip` (or `-pytorch-learned.zip` at the learned widths). */
export function downloadPytorch(run: RunNetwork, name: string, widths: RunPackageWidths): void {
  const base = `${fileSafe(name)}-pytorch${widths === 'alive' ? '-learned' : ''}`;
  const bytes = pytorchZip(run, base, widths);
  download(`${base}.zip`, new Blob([bytes as BlobPart], { type: 'application/zip' }));
}
