// The built-in seed networks (issue 2, "Seed networks"), written for 28×28×1 and 10 classes; a
// seed takes its input shape and class count from the chosen dataset through `withInput`.
import inceptionMini from './seeds/inception-mini.json';
import plainCnn from './seeds/plain-cnn.json';
import resnetMini from './seeds/resnet-mini.json';
import { validateSpec } from './spec.ts';
import type { InputShape, NetworkSpec } from './types.ts';

const SEEDS = {
  'resnet-mini': resnetMini,
  'plain-cnn': plainCnn,
  'inception-mini': inceptionMini,
} as const;

export type SeedName = keyof typeof SEEDS;
/** The default seed comes first. */
export const seedNames: readonly SeedName[] = ['resnet-mini', 'plain-cnn', 'inception-mini'];

export function isSeedName(name: string): name is SeedName {
  return Object.hasOwn(SEEDS, name);
}

/** A fresh, validated copy of a seed (callers may mutate it). */
export function seedSpec(name: SeedName): NetworkSpec {
  return validateSpec(structuredClone(SEEDS[name]), `seed ${name}`);
}

/** The spec retargeted to another input shape and class count (the logits' units follow). */
export function withInput(spec: NetworkSpec, input: InputShape, classes: number): NetworkSpec {
  const layers = spec.layers.map((l, i) =>
    i === spec.layers.length - 1 && l.type === 'dense' ? { ...l, units: classes } : { ...l },
  );
  return validateSpec({ ...spec, input: { ...input }, classes, layers }, spec.name);
}
