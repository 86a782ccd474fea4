// Types of the structure layout's input and output (kept apart so structure.ts stays short).
import type { AliveCounts } from '../../morphnet/types.ts';

export interface StructureOptions {
  alive?: AliveCounts | undefined;
  /** The seed's width per layer, drawn faint behind the alive width (defaults to the spec's width). */
  seedWidths?: Record<string, number> | undefined;
  width: number;
  height: number;
  /** Channels that span the full drawing width; pass the same value to diagrams shown side by side. */
  maxChannels?: number | undefined;
}

export interface StructureRect {
  name: string;
  kind: 'conv' | 'depthwise';
  /** trunk: the main column; tower: a parallel branch of a concat; shortcut: a projection on a skip path. */
  role: 'trunk' | 'tower' | 'shortcut';
  /** The alive rectangle (solid), centred on the seed rectangle. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The seed rectangle (faint). */
  seedX: number;
  seedWidth: number;
  alive: number;
  total: number;
  seed: number;
  resolution: number;
  /** No channel alive: the layer (and with it, maybe a whole block) is gone. */
  gone: boolean;
}

export interface StructureJoin {
  name: string;
  kind: 'add' | 'concat';
  x: number;
  y: number;
  r: number;
  /** Horizontal extent (a concat joins its towers side by side). */
  x1: number;
  x2: number;
  /** The ⊕ sign inside an add's circle (empty for a concat). */
  mark: string;
}

export interface StructurePath {
  kind: 'skip' | 'edge';
  /** The merge this path feeds. */
  to: string;
  d: string;
}

export interface StructureStage {
  resolution: number;
  /** Bottom (larger y) and top of the stage's band; boundaries are drawn at y0. */
  y0: number;
  y1: number;
}

export interface StructureLayout {
  width: number;
  /** At most the height asked for; less when the rows are capped at a comfortable height. */
  height: number;
  /** Pixels per channel. */
  scale: number;
  input: { x: number; y: number; width: number; height: number; label: string };
  /** In topological order, so bottom-up. */
  rects: StructureRect[];
  joins: StructureJoin[];
  paths: StructurePath[];
  stages: StructureStage[];
}
