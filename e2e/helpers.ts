// What several specs share.

/**
 * Settings that make a WebGPU run quick on SwiftShader: the shapes dataset, batch 4, plain-cnn,
 * and a strength and threshold high enough that channels die within a few steps (what a person
 * sees after minutes on a GPU, seen here in seconds). The page's defaults stay for people.
 */
export const FAST = {
  backend: 'webgpu',
  dataset: 'shapes',
  net: 'plain-cnn',
  batch: 4,
  strength: 30,
  threshold: 0.5,
} as const;
