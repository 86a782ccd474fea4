// The trade-off section's state: which sweep is shown, where it came from, and what the person
// picked. Its own small zustand store: nothing in it depends on the training run, and keeping it
// apart lets the section load while the worker is still building the network.
import { create } from 'zustand';
import type { SweepFile } from '../../morphnet/sweep.ts';
import type { CostMetric } from './summary.ts';

/** The chart's x axis: a cost, or each network's forward pass measured on this device (./latency.ts). */
export type ChartMetric = CostMetric | 'latency';

export type SweepOrigin = { kind: 'default'; url: string } | { kind: 'imported'; name: string };

export interface TradeoffState {
  sweep: SweepFile | null;
  origin: SweepOrigin | null;
  /** Loading the default or the cached import (not an import in progress: that is instant). */
  loading: boolean;
  /** The default sweep could not be fetched or read: one line, shown in place of the chart. */
  loadError: string | null;
  /** The last rejected import, one line naming the file; the shown sweep stays as it was. */
  importError: string | null;
  /** The imported sweep is shown but the browser would not keep it for the next visit. */
  keepError: string | null;
  metric: ChartMetric;
  /** What the chart shows: the sweep file, or the page's own measured points (./queue.ts). */
  view: TradeoffView;
  /** Index into the shown sweep's points. */
  selected: number | null;
}

export type TradeoffView = 'file' | 'page';

export const initialTradeoffState: TradeoffState = {
  sweep: null,
  origin: null,
  loading: false,
  loadError: null,
  importError: null,
  keepError: null,
  metric: 'flops',
  view: 'file',
  selected: null,
};

export const useTradeoffStore = create<TradeoffState>()(() => ({ ...initialTradeoffState }));
