// What the twin calls each target, in one place, so the status lines, the table, the diagrams,
// the reading and the saved runs name the pair chosen the same way.
import type { TwinPair, TwinTarget } from './store.ts';

const NOUN: Record<TwinTarget, string> = { flops: 'FLOPs', size: 'size', latency: 'latency' };

/** "FLOPs run", "size run", "latency run". */
export const runLabel = (target: TwinTarget) => `${NOUN[target]} run`;

/** "FLOPs run", "Size run", "Latency run": at the start of a line or a column head. */
export const runTitle = (target: TwinTarget) => {
  const label = runLabel(target);
  return label.charAt(0).toUpperCase() + label.slice(1);
};

/** The saved run's name: "Twin · FLOPs", "Twin · size", "Twin · latency". */
export const twinRunName = (target: TwinTarget) => `Twin · ${NOUN[target]}`;

/** "FLOPs-targeted", "Size-targeted", "Latency-targeted": a diagram's title. */
export const targetedTitle = (target: TwinTarget) => {
  const noun = NOUN[target];
  return `${noun.charAt(0).toUpperCase()}${noun.slice(1)}-targeted`;
};

const LONG: Record<TwinTarget, string> = { flops: 'FLOPs', size: 'model size', latency: 'latency' };

/** "FLOPs against model size": the section's heading and the pair's choice. */
export const pairTitle = (pair: TwinPair) => `${LONG[pair[0]]} against ${LONG[pair[1]]}`;
