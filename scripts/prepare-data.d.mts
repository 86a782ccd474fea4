// Types for prepare-data.mjs, so its test (and only its test) can import it from TypeScript.
export type PrepareOutcome = 'written' | 'up to date' | 'missing';

export interface PrepareOptions {
  root?: string;
  outDir?: string;
  mnistDir?: string | null;
  fashionDir?: string | null;
  /** Test images per Fashion-MNIST class (the last ones of each class file). */
  fashionTest?: number;
  log?: (msg: string) => void;
  warn?: (msg: string) => void;
}

export function prepare(options?: PrepareOptions): Record<'mnist' | 'fashion', PrepareOutcome>;
export function fnv1a(bytes: Uint8Array, start?: number, end?: number): number;
export function encodeSplit(
  labels: Uint8Array,
  images: Uint8Array,
  height: number,
  width: number,
  channels: number,
  classes: number,
): Uint8Array;
export function readIdx(path: string, dims: number): { shape: number[]; data: Uint8Array };
