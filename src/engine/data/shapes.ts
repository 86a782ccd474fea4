// A generated RGB dataset that needs no files: an instant start in the page and a fast,
// deterministic set for tests. Each image is one shape of a random position, size, rotation and
// colour on a random background with pixel noise: easy enough to learn in a few hundred steps,
// hard enough that a network has to look at outlines rather than at one pixel or the mean colour.
import { makeNormal, makeRng } from '../rng.ts';
import type { Dataset } from '../types.ts';

export const SHAPE_CLASSES = ['circle', 'square', 'triangle', 'ring', 'cross', 'stripes'] as const;

export interface ShapesOptions {
  seed: number;
  /** Side in pixels. */
  size?: number;
  train?: number;
  test?: number;
}

/** The seed loadDataset('shapes') uses: the data are fixed, like MNIST's, whatever the run's seed. */
export const SHAPES_SEED = 1;

/** 2x2 samples per pixel, so edges are soft and the size of a shape shows in its edge pixels. */
const SUB = [0.25, 0.75] as const;
const NOISE_SIGMA = 14;
/** Pixel noise comes from a table of normals read from a random start per image: one Box-Muller
 * per pixel and channel made the defaults take 1.7 s; the table makes them take a fraction. */
const NOISE_TABLE = 1 << 15;

type Inside = (u: number, v: number) => boolean;

// Each test takes a point in the shape's own frame (unit radius, rotated) and says if it is inside.
// Sizes are chosen so the shapes cover similar areas: area alone must not give the class away.
const INSIDE: Record<(typeof SHAPE_CLASSES)[number], (stripePeriod: number) => Inside> = {
  circle: () => (u, v) => u * u + v * v <= 0.85,
  square: () => (u, v) => Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8,
  // Equilateral, circumradius 1.15: inside all three edges, each at distance 1.15 / 2 from the centre.
  triangle: () => (u, v) => v >= -0.575 && 0.866 * u - 0.5 * v >= -0.575 && -0.866 * u - 0.5 * v >= -0.575,
  ring: () => (u, v) => {
    const r2 = u * u + v * v;
    return r2 <= 1 && r2 >= 0.4;
  },
  cross: () => (u, v) => (Math.abs(u) <= 0.3 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1),
  // A square patch of parallel bars: the class is the texture, not the outline.
  stripes: (period) => (u, v) => Math.abs(u) <= 0.85 && Math.abs(v) <= 0.85 && (((u + 1) / period) % 1) < 0.5,
};

/** Makes the dataset; labels cycle through the classes so every prefix of a split is balanced. */
export function makeShapes({ seed, size = 32, train = 2048, test = 512 }: ShapesOptions): Dataset {
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`makeShapes: size ${size} must be an integer of at least 8`);
  const rand = makeRng(seed);
  const normal = makeNormal(rand);
  const noise = Float32Array.from({ length: NOISE_TABLE }, () => NOISE_SIGMA * normal());
  const split = (count: number) => {
    const labels = new Uint8Array(count);
    const images = new Uint8Array(count * size * size * 3);
    for (let i = 0; i < count; i++) {
      labels[i] = i % SHAPE_CLASSES.length;
      drawShape(images.subarray(i * size * size * 3, (i + 1) * size * size * 3), size, labels[i]!, rand, noise);
    }
    return { images, labels, count };
  };
  return {
    name: 'shapes',
    height: size,
    width: size,
    channels: 3,
    classes: SHAPE_CLASSES.length,
    classNames: [...SHAPE_CLASSES],
    train: split(train),
    test: split(test),
  };
}

function drawShape(out: Uint8Array, size: number, label: number, rand: () => number, noise: Float32Array): void {
  const radius = size * (0.2 + 0.16 * rand());
  const margin = radius * 0.9;
  const cx = margin + rand() * (size - 2 * margin);
  const cy = margin + rand() * (size - 2 * margin);
  const angle = rand() * 2 * Math.PI;
  const reach = 1.25 * radius + 1;
  const cos = Math.cos(angle) / radius;
  const sin = Math.sin(angle) / radius;
  const inside = INSIDE[SHAPE_CLASSES[label]!](0.4 + 0.2 * rand());
  const [bg, fg] = contrastingColours(rand);
  // A gentle gradient across the background, so that a constant-colour background is not a cue.
  const gx = (rand() - 0.5) * 60;
  const gy = (rand() - 0.5) * 60;
  let n = Math.floor(rand() * NOISE_TABLE);
  const reach2 = reach * reach;
  const mask = NOISE_TABLE - 1;
  // The hot loop (size² pixels × thousands of images): plain numbers, no allocation.
  for (let y = 0, p = 0; y < size; y++) {
    const py = y + 0.5 - cy;
    for (let x = 0; x < size; x++, p += 3) {
      const px = x + 0.5 - cx;
      let a = 0;
      // Every shape lies within 1.25 radii of its centre: pixels farther out skip the samples.
      if (px * px + py * py <= reach2) {
        let cover = 0;
        for (let k = 0; k < 4; k++) {
          const dx = x + SUB[k & 1]! - cx;
          const dy = y + SUB[k >> 1]! - cy;
          if (inside(dx * cos + dy * sin, dy * cos - dx * sin)) cover++;
        }
        a = cover * 0.25;
      }
      const keep = 1 - a;
      const shade = (gx * (x / size - 0.5) + gy * (y / size - 0.5)) * keep;
      out[p] = clampByte(bg[0]! * keep + fg[0]! * a + shade + noise[n]!);
      out[p + 1] = clampByte(bg[1]! * keep + fg[1]! * a + shade + noise[(n + 1) & mask]!);
      out[p + 2] = clampByte(bg[2]! * keep + fg[2]! * a + shade + noise[(n + 2) & mask]!);
      n = (n + 3) & mask;
    }
  }
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
}

/** A background and a foreground at least 120 apart in RGB, so every shape is visible. */
function contrastingColours(rand: () => number): [number[], number[]] {
  const colour = () => [rand() * 255, rand() * 255, rand() * 255];
  const bg = colour();
  let fg = colour();
  // Bounded: a random pair is far enough apart more than half the time; the fallback puts each channel at the far end.
  for (let tries = 0; tries < 16 && Math.hypot(fg[0]! - bg[0]!, fg[1]! - bg[1]!, fg[2]! - bg[2]!) < 120; tries++) fg = colour();
  if (Math.hypot(fg[0]! - bg[0]!, fg[1]! - bg[1]!, fg[2]! - bg[2]!) < 120) fg = bg.map((v) => (v < 128 ? 255 : 0));
  return [bg, fg];
}
