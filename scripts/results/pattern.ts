// The paper's pattern (MORPHNET.md; Gordon et al. 2018, fig. 4), read off two runs rather than
// asserted: targeting FLOPs thins the early, high-resolution layers relatively more; targeting
// size thins the late, wide layers relatively more. "Early" and "late" are by output resolution,
// so the reading works for any seed, not only resnet-mini's stage names.
import { networkCost } from '../../src/morphnet/cost.ts';
import { inferShapes } from '../../src/morphnet/shape.ts';
import type { AliveCounts, NetworkSpec } from '../../src/morphnet/types.ts';

export interface LayerRow {
  name: string;
  /** Output height × width. */
  resolution: number;
  side: string;
  seedWidth: number;
  flopsAlive: number;
  sizeAlive: number;
  /** This layer's FLOPs and parameters per output channel in the seed (why each target cuts where it does). */
  flopsPerChannel: number;
  paramsPerChannel: number;
}

export interface Bucket {
  /** Channel-weighted alive fraction over the bucket's layers. */
  flops: number;
  size: number;
  layers: string[];
  side: string;
}

export interface PatternReading {
  rows: LayerRow[];
  early: Bucket;
  late: Bucket;
  /** In the FLOPs run, the early layers keep a smaller fraction than the late ones. */
  flopsThinsEarly: boolean;
  /** In the size run, the late layers keep a smaller fraction than the early ones. */
  sizeThinsLate: boolean;
  /** Relative to the size run, the FLOPs run is thinner early than late (the twin-figure claim). */
  relative: boolean;
}

export function layerRows(spec: NetworkSpec, flopsAlive: AliveCounts, sizeAlive: AliveCounts): LayerRow[] {
  const shapes = inferShapes(spec);
  const cost = new Map(networkCost(spec).layers.map((l) => [l.name, l]));
  const rows: LayerRow[] = [];
  for (const layer of spec.layers) {
    if (layer.type !== 'conv' && layer.type !== 'depthwise') continue;
    const shape = shapes[layer.name];
    if (shape === undefined || shape.kind !== 'map') continue;
    const width = shape.channels;
    const c = cost.get(layer.name);
    rows.push({
      name: layer.name,
      resolution: shape.height * shape.width,
      side: `${shape.height}×${shape.width}`,
      seedWidth: width,
      flopsAlive: flopsAlive[layer.name] ?? width,
      sizeAlive: sizeAlive[layer.name] ?? width,
      flopsPerChannel: c ? c.flops / width : 0,
      paramsPerChannel: c ? c.params / width : 0,
    });
  }
  return rows;
}

function bucket(rows: LayerRow[]): Bucket {
  const seed = rows.reduce((a, r) => a + r.seedWidth, 0);
  return {
    flops: rows.reduce((a, r) => a + r.flopsAlive, 0) / seed,
    size: rows.reduce((a, r) => a + r.sizeAlive, 0) / seed,
    layers: rows.map((r) => r.name),
    side: rows[0]?.side ?? '',
  };
}

/** Needs layers at two resolutions at least; throws otherwise (nothing to compare). */
export function readPattern(
  spec: NetworkSpec,
  flopsAlive: AliveCounts,
  sizeAlive: AliveCounts,
): PatternReading {
  const rows = layerRows(spec, flopsAlive, sizeAlive);
  const resolutions = [...new Set(rows.map((r) => r.resolution))].sort((a, b) => b - a);
  const high = resolutions[0];
  const low = resolutions[resolutions.length - 1];
  if (high === undefined || low === undefined || high === low) {
    throw new Error(
      `${spec.name}: its conv layers share one resolution, so there is no early and late to compare`,
    );
  }
  const early = bucket(rows.filter((r) => r.resolution === high));
  const late = bucket(rows.filter((r) => r.resolution === low));
  return {
    rows,
    early,
    late,
    flopsThinsEarly: early.flops < late.flops,
    sizeThinsLate: late.size < early.size,
    relative: early.flops / early.size < late.flops / late.size,
  };
}
