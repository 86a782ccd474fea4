// The shipped weights of a trained seed network (public/pretrained/<net>-<dataset>.bin, written
// by scripts/assets/pretrain.py): "MNPT", version u16 = 1, 0 u16, header length u32, a JSON header
// (padded with spaces to a multiple of 4 bytes) naming each tensor's `<layer>/<what>` key and
// shape in the studio's tfjs layout, then every tensor as little-endian float16 in that order.
// Plain data in, plain data out (no tfjs): the page decodes it, the worker makes tensors of it.
import type { TensorData } from '../../engine/types.ts';

export const PRETRAINED_MAGIC = 'MNPT';
export const PRETRAINED_VERSION = 1;
const PREAMBLE = 12;

export interface PretrainedHeader {
  format: 'morphnet-pretrained';
  net: string;
  dataset: string;
  encoding: 'float16';
  tensors: { key: string; shape: number[] }[];
  recipe?: Record<string, unknown>;
}

export interface PretrainedWeights {
  header: PretrainedHeader;
  /** By `<layer>/<what>`, as SessionOptions.initialWeights wants them (once made tensors). */
  weights: Record<string, TensorData>;
}

/** Why a file cannot be read, in words the page can show after "The trained weights ...". */
export class PretrainedError extends Error {}

/** IEEE 754 half precision to a JS number (exact: every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** A lookup of all 65,536 halves, built on first use: decoding 174k weights then costs one read each. */
let table: Float32Array | null = null;
function halfTable(): Float32Array {
  if (table === null) {
    table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = halfToFloat(h);
  }
  return table;
}

const isShape = (x: unknown): x is number[] =>
  Array.isArray(x) && x.length > 0 && x.length <= 4 && x.every((d) => Number.isInteger(d) && d > 0 && d <= 1 << 16);

function parseHeader(text: string): PretrainedHeader {
  let h: unknown;
  try {
    h = JSON.parse(text);
  } catch {
    throw new PretrainedError('have an unreadable header');
  }
  const o = h as Partial<PretrainedHeader> | null;
  if (o === null || typeof o !== 'object' || o.format !== 'morphnet-pretrained') throw new PretrainedError('are not a weights file');
  if (o.encoding !== 'float16') throw new PretrainedError(`use an encoding this page cannot read (${String(o.encoding)})`);
  if (typeof o.net !== 'string' || typeof o.dataset !== 'string' || !Array.isArray(o.tensors))
    throw new PretrainedError('have an incomplete header');
  for (const t of o.tensors as unknown[]) {
    const e = t as { key?: unknown; shape?: unknown } | null;
    if (e === null || typeof e !== 'object' || typeof e.key !== 'string' || !isShape(e.shape))
      throw new PretrainedError('name a tensor without a key or shape');
  }
  return o as PretrainedHeader;
}

/** The weights of one file; throws PretrainedError when it is not one this page can read. */
export function decodePretrained(bytes: Uint8Array): PretrainedWeights {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < PREAMBLE || String.fromCharCode(...bytes.subarray(0, 4)) !== PRETRAINED_MAGIC)
    throw new PretrainedError('are not a weights file');
  const version = view.getUint16(4, true);
  if (version !== PRETRAINED_VERSION) throw new PretrainedError(`are format version ${version}, this page reads ${PRETRAINED_VERSION}`);
  const headerBytes = view.getUint32(8, true);
  if (PREAMBLE + headerBytes > bytes.length) throw new PretrainedError('are cut short');
  const header = parseHeader(new TextDecoder().decode(bytes.subarray(PREAMBLE, PREAMBLE + headerBytes)));
  const halves = header.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  const start = PREAMBLE + headerBytes;
  if (bytes.length !== start + 2 * halves)
    throw new PretrainedError(`are ${bytes.length} bytes where their header needs ${start + 2 * halves}`);
  const lut = halfTable();
  const weights: Record<string, TensorData> = Object.create(null) as Record<string, TensorData>;
  let at = start;
  for (const { key, shape } of header.tensors) {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 2) values[i] = lut[view.getUint16(at, true)]!;
    weights[key] = { shape: [...shape], values };
  }
  return { header, weights };
}

/** Lower-case hex SHA-256 of `bytes` (Web Crypto: the page, its worker and Node 20 all have it). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
