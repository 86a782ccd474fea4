// The paper's ResNet figure as data: one rectangle per conv/depthwise layer, stacked bottom-up
// from a purple input bar, width proportional to channels. Pure: spec in, rectangles and path
// strings out, so it is tested in Node and any renderer can draw it.
import type { NetworkSpec } from '../../morphnet/types.ts';
import type {
  StructureJoin,
  StructureLayout,
  StructureOptions,
  StructurePath,
  StructureRect,
} from './structure-types.ts';
import { buildGraph, INPUT, type BlockItem, type Item, type TensorInfo } from './graph.ts';

export type {
  StructureJoin,
  StructureLayout,
  StructureOptions,
  StructurePath,
  StructureRect,
  StructureStage,
} from './structure-types.ts';

// Geometry in pixels, tuned for legibility at projector distance.
const LABEL_MARGIN = 60;
const RIGHT_MARGIN = 8;
const INPUT_H = 22;
const BOTTOM = 4;
const MAX_ROW = 40;
const SKIP_GAP = 14;
const PROJ_W = 24;
const TOWER_GAP = 10;
const TOWER_MIN = 12;
// Vertical units: a conv row is 1.
const JOIN_U = 0.6;
const FAN_U = 0.5;

const r2 = (v: number) => Math.round(v * 100) / 100;
const isDrawn = (it: Item) =>
  it.type === 'layer' && (it.layer.type === 'conv' || it.layer.type === 'depthwise');

/** For an add, the branch with most rows is the main one; the rest are shortcuts. */
function mainBranch(block: BlockItem): number {
  let best = 0;
  block.branches.forEach((b, i) => {
    if (units(b) >= units(block.branches[best] ?? [])) best = i;
  });
  return best;
}

function units(items: Item[]): number {
  let u = 0;
  for (const it of items) {
    if (it.type === 'layer') u += isDrawn(it) ? 1 : 0;
    else if (it.merge.type === 'add') {
      const m = mainBranch(it);
      const side = Math.max(
        0,
        ...it.branches
          .filter((_, i) => i !== m)
          .map(convsIn)
          .map((c) => c.length),
      );
      u += Math.max(units(it.branches[m] ?? []), side) + JOIN_U;
    } else u += FAN_U + Math.max(0, ...it.branches.map(units)) + JOIN_U;
  }
  return u;
}

/** Every drawn layer inside some items, flattened (shortcut branches draw them as small boxes). */
function convsIn(items: Item[]): string[] {
  return items.flatMap((it) =>
    it.type === 'block' ? it.branches.flatMap(convsIn) : isDrawn(it) ? [it.layer.name] : [],
  );
}

export function layoutStructure(spec: NetworkSpec, opts: StructureOptions): StructureLayout {
  const { tensors, items, byName } = buildGraph(spec);
  const tensor = (n: string): TensorInfo => tensors.get(n) ?? { channels: 0, resolution: 1 };
  const total = (n: string) => tensor(n).channels;
  const alive = (n: string) => Math.max(0, Math.min(opts.alive?.[n] ?? total(n), Number.MAX_SAFE_INTEGER));
  const seed = (n: string) => opts.seedWidths?.[n] ?? total(n);
  const extent = (n: string) => Math.max(seed(n), alive(n));

  // Width in pixels of some items at `k` pixels per channel (concat towers add up side by side).
  const widthOf = (its: Item[], k: number): number =>
    Math.max(
      0,
      ...its.map((it): number => {
        if (it.type === 'layer') return isDrawn(it) ? extent(it.layer.name) * k : 0;
        if (it.merge.type === 'add') {
          const m = mainBranch(it);
          const sides = it.branches.length - 1;
          const proj = it.branches.some((b, i) => i !== m && convsIn(b).length > 0) ? PROJ_W : 0;
          return widthOf(it.branches[m] ?? [], k) + 2 * (sides * SKIP_GAP + proj);
        }
        const towers = it.branches.map((b) => Math.max(TOWER_MIN, widthOf(b, k)));
        return towers.reduce((s, w) => s + w, 0) + TOWER_GAP * (towers.length - 1);
      }),
    );

  const avail = Math.max(10, opts.width - LABEL_MARGIN - RIGHT_MARGIN);
  const widest = Math.max(1, ...[...byName.keys()].map(extent));
  // Largest scale that fits: widthOf grows with k, so bisect below the naive scale.
  let hi = avail / Math.max(1, opts.maxChannels ?? widest);
  if (widthOf(items, hi) > avail) {
    let lo = 0;
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (widthOf(items, mid) > avail) hi = mid;
      else lo = mid;
    }
    hi = lo;
  }
  const k = hi;

  const cx = LABEL_MARGIN + avail / 2;
  const totalU = Math.max(1, units(items));
  const row = Math.min(MAX_ROW, (opts.height - BOTTOM - INPUT_H - 12) / totalU);
  // A short network does not stretch into giant bricks: the drawing shrinks to fit its rows.
  const height = Math.min(opts.height, Math.ceil(totalU * row + BOTTOM + INPUT_H + 12));
  const inputY = height - BOTTOM - INPUT_H;
  const yAt = (u: number) => inputY - 4 - u * row;
  const pad = Math.min(row * 0.14, 5);

  const inputW = Math.min(avail, 220);
  const input = {
    x: r2(cx - inputW / 2),
    y: r2(inputY),
    width: r2(inputW),
    height: INPUT_H,
    label: `input ${spec.input.height}×${spec.input.width}×${spec.input.channels}`,
  };

  const rects: StructureRect[] = [];
  const joins: StructureJoin[] = [];
  const paths: StructurePath[] = [];
  // Where each tensor is drawn: centre x, mid y and half width, for skip paths to start from.
  const anchors = new Map<string, { x: number; y: number; half: number }>([
    [INPUT, { x: cx, y: inputY + INPUT_H / 2, half: inputW / 2 }],
  ]);
  const stageStarts: { resolution: number; y0: number }[] = [
    { resolution: tensor(INPUT).resolution, y0: inputY },
  ];
  const markStage = (res: number, u: number) => {
    const last = stageStarts[stageStarts.length - 1];
    if (last && last.resolution !== res) stageStarts.push({ resolution: res, y0: yAt(u) });
  };

  const pushRect = (
    name: string,
    role: StructureRect['role'],
    x: number,
    yTop: number,
    h: number,
    full: number,
  ) => {
    const layer = byName.get(name);
    if (!layer || (layer.type !== 'conv' && layer.type !== 'depthwise')) return;
    const a = alive(name);
    const s = seed(name);
    // Shortcut boxes have a fixed size; alive is then drawn as a fraction of the box.
    const per = role === 'shortcut' ? full / Math.max(1, s) : k;
    const sw = role === 'shortcut' ? full : s * per;
    rects.push({
      name,
      kind: layer.type,
      role,
      x: r2(x - (a * per) / 2),
      y: r2(yTop),
      width: r2(a * per),
      height: r2(h),
      seedX: r2(x - sw / 2),
      seedWidth: r2(sw),
      alive: a,
      total: total(name),
      seed: s,
      resolution: tensor(name).resolution,
      gone: a === 0,
    });
  };

  // Places items bottom-up from unit u0 on column x; returns the unit where they end.
  const place = (its: Item[], x: number, u0: number, from: string, role: 'trunk' | 'tower'): number => {
    let u = u0;
    let prev = from;
    for (const it of its) {
      if (it.type === 'layer') {
        const name = it.layer.name;
        if (isDrawn(it)) {
          if (role === 'trunk') markStage(tensor(name).resolution, u);
          pushRect(name, role, x, yAt(u + 1) + pad, row - 2 * pad, 0);
          anchors.set(name, { x, y: yAt(u + 0.5), half: (extent(name) * k) / 2 });
          u += 1;
        } else anchors.set(name, anchors.get(prev) ?? { x, y: yAt(u), half: 0 });
        prev = name;
        continue;
      }
      const src = anchors.get(it.source) ?? { x, y: yAt(u), half: 0 };
      const name = it.merge.name;
      const jr = Math.max(4, Math.min(9, row * 0.22));
      if (it.merge.type === 'add') {
        const m = mainBranch(it);
        const main = it.branches[m] ?? [];
        const end = place(main, x, u, it.source, role);
        const sideU = Math.max(0, ...it.branches.filter((_, i) => i !== m).map((b) => convsIn(b).length));
        const top = Math.max(end, u + sideU);
        const jy = yAt(top + JOIN_U / 2);
        const a = jr * 0.55;
        const mark = `M${r2(x - a)},${r2(jy)}H${r2(x + a)}M${r2(x)},${r2(jy - a)}V${r2(jy + a)}`;
        joins.push({
          name,
          kind: 'add',
          x: r2(x),
          y: r2(jy),
          r: r2(jr),
          x1: r2(x - jr),
          x2: r2(x + jr),
          mark,
        });
        let side = x + Math.max(widthOf(main, k) / 2, src.half) + SKIP_GAP;
        it.branches.forEach((b, i) => {
          if (i === m) return;
          const xs = src.x + src.half;
          const ys = src.y;
          paths.push({ kind: 'skip', to: name, d: elbow(xs, ys, side, x + jr, jy, Math.min(8, row / 3)) });
          const convs = convsIn(b);
          convs.forEach((c, j) => {
            const cy = ys + ((jy - ys) * (j + 1)) / (convs.length + 1);
            const h = Math.min(row - 2 * pad, 20);
            pushRect(c, 'shortcut', side, cy - h / 2, h, PROJ_W);
          });
          side += SKIP_GAP + (convs.length ? PROJ_W / 2 : 0);
        });
        u = top + JOIN_U;
        anchors.set(name, { x, y: jy, half: jr });
      } else {
        const ws = it.branches.map((b) => Math.max(TOWER_MIN, widthOf(b, k)));
        const span = ws.reduce((s, w) => s + w, 0) + TOWER_GAP * (ws.length - 1);
        const tops = it.branches.map(() => 0);
        let left = x - span / 2;
        const xs = ws.map((w) => {
          const c = left + w / 2;
          left += w + TOWER_GAP;
          return c;
        });
        it.branches.forEach((b, i) => {
          tops[i] = place(b, xs[i] ?? x, u + FAN_U, it.source, 'tower');
        });
        const H = Math.max(u + FAN_U, ...tops);
        const jy = yAt(H + JOIN_U / 2);
        const x1 = xs[0] ?? x;
        const x2 = xs[xs.length - 1] ?? x;
        joins.push({
          name,
          kind: 'concat',
          x: r2(x),
          y: r2(jy),
          r: r2(jr / 2),
          x1: r2(x1),
          x2: r2(x2),
          mark: '',
        });
        xs.forEach((tx, i) => {
          const yb = yAt(u + FAN_U) - pad;
          const yt = yAt(tops[i] ?? u + FAN_U) + (it.branches[i]?.some(isDrawn) ? pad : 0);
          const ym = (src.y + yb) / 2;
          paths.push({
            kind: 'edge',
            to: name,
            d: `M${r2(src.x)},${r2(src.y)}C${r2(src.x)},${r2(ym)} ${r2(tx)},${r2(ym)} ${r2(tx)},${r2(yb)}`,
          });
          paths.push({ kind: 'edge', to: name, d: `M${r2(tx)},${r2(yb)}V${r2(yt)}` });
          paths.push({ kind: 'edge', to: name, d: `M${r2(tx)},${r2(yt)}V${r2(jy)}` });
        });
        if (role === 'trunk') markStage(tensor(name).resolution, u);
        u = H + JOIN_U;
        anchors.set(name, { x, y: jy, half: (x2 - x1) / 2 });
      }
      prev = name;
    }
    return u;
  };
  place(items, cx, 0, INPUT, 'trunk');

  // Keep topological (spec) order so "bottom-up" holds for the trunk and readers can zip by name.
  const order = new Map(spec.layers.map((l, i) => [l.name, i]));
  rects.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  const topY = yAt(totalU);
  const stages = stageStarts.map((s, i) => ({
    resolution: s.resolution,
    y0: r2(s.y0),
    y1: r2(stageStarts[i + 1]?.y0 ?? topY),
  }));
  return { width: opts.width, height, scale: k, input, rects, joins, paths, stages };
}

/** A skip connection: out from the source, up the side, back in to the join, with rounded corners. */
export function elbow(xs: number, ys: number, side: number, xe: number, ye: number, rad: number): string {
  const r = Math.max(0, Math.min(rad, Math.abs(side - xs), Math.abs(ys - ye) / 2));
  return (
    `M${r2(xs)},${r2(ys)}H${r2(side - r)}Q${r2(side)},${r2(ys)} ${r2(side)},${r2(ys - r)}` +
    `V${r2(ye + r)}Q${r2(side)},${r2(ye)} ${r2(side - r)},${r2(ye)}H${r2(xe)}`
  );
}
