// The ranges of the run settings: the page's sliders and URL, and the CLI's flags, are held to
// these same numbers (one place, so the two cannot drift apart).

export const SETTING_LIMITS = {
  /** A multiple of 1 / F(seed) (MORPHNET.md §5); the CLI also takes 0 (no regularizer). */
  strength: { min: 0.01, max: 100 },
  threshold: { min: 1e-4, max: 0.5 },
  lr: { min: 1e-5, max: 1 },
  batch: { min: 1, max: 512 },
  /** Images per priced forward pass (the reference's latency batch_size). */
  latencyBatch: { min: 1, max: 512 },
  /** The page's seeds; the engine itself takes any 32-bit unsigned seed (the CLI's range). */
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;
