// The baseline queue's state (./queue.ts): what is cached for the page's network, what trains.
import { create } from 'zustand';
import type { BaselineRecord } from './cache.ts';

export type QueuePhase = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

export interface QueueState {
  phase: QueuePhase;
  /** Steps per point and the multipliers asked for (the next start's defaults). */
  steps: number;
  multipliers: number[];
  /** The cache key of the page's network and settings the points belong to. */
  context: string | null;
  /** Measured points of that context, by multiplier. */
  points: BaselineRecord[];
  /** The network in training: its multiplier, steps done, and what the worker is waiting for. */
  current: { multiplier: number; step: number; label: string | null } | null;
  /** Networks this start trains, and how many are finished. */
  total: number;
  done: number;
  /** One line when something went wrong (or the page is not ready). */
  message: string | null;
}

export const initialQueueState: QueueState = {
  phase: 'idle',
  steps: 200,
  multipliers: [0.25, 0.5, 0.75, 1],
  context: null,
  points: [],
  current: null,
  total: 0,
  done: 0,
  message: null,
};

export const useQueueStore = create<QueueState>()(() => ({ ...initialQueueState }));
