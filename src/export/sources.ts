// The PyTorch package's Python sources for the page, bundled as text by Vite (the CLI reads the
// same files from disk). Browser-only: import.meta.glob exists under Vite and Vitest.
import { PYTORCH_SOURCES } from './pytorch.ts';

const texts = import.meta.glob<string>('/pytorch/morphnet_torch/*.{py,md}', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Each of PYTORCH_SOURCES by file name. */
export const pytorchSources: Readonly<Record<string, string>> = Object.fromEntries(
  PYTORCH_SOURCES.map((name) => [name, texts[`/pytorch/morphnet_torch/${name}`] ?? '']),
);
