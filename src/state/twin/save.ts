// A twin run as two saved runs (src/state/runs), named for their targets ("Twin · FLOPs",
// "Twin · size", "Twin · latency") and sharing a group id, so they show in the runs list side by side. Each keeps one id from its
// first save on, so the saves made as it trains update the same run.
import type { LatencySettings, Target } from '../../morphnet/types.ts';
import { createRunRecord, type RunRecord } from '../runs/record.ts';
import type { Store } from '../store.ts';
import type { StudioSettings } from '../url.ts';
import { twinRunName } from './labels.ts';

export interface TwinRunData {
  target: Target;
  /** The page's settings when the twin started, with this run's target. */
  settings: StudioSettings;
  importedSpec: boolean;
  /** The device priced for when the twin started; a latency run's record keeps it. */
  latency: LatencySettings | null;
  /** The run's events folded into a store shaped like the page's. */
  folded: Store;
  /** The saved run's id and creation time, fixed when the twin started. */
  runId: string;
  createdAt: string;
}

export { twinRunName } from './labels.ts';

/** The saved-run record of one twin run, or null before its network was built. */
export function twinRecord(run: TwinRunData, group: string, now = new Date()): RunRecord | null {
  const s = run.folded;
  if (!s.seedSpec || !s.spec || !s.seedCost) return null;
  const cycle = s.cycle;
  return createRunRecord(
    {
      settings: { ...run.settings, target: run.target },
      importedSpec: run.importedSpec,
      seedSpec: s.seedSpec,
      spec: s.spec,
      seedCost: s.seedCost,
      step: s.step,
      cycle,
      history: s.history,
      metrics: {
        curve: s.curve.map((p) => ({ cycle, ...p })),
        costCurve: s.costCurve.map((p) => ({ cycle, ...p })),
        testCurve: s.testCurve.map((p) => ({ cycle, ...p })),
      },
      alive: s.alive,
      cost: s.cost,
      testAccuracy: s.testAccuracy,
      backend: s.backend,
      origin: 'twin',
      group,
      name: twinRunName(run.target),
      id: run.runId,
      createdAt: run.createdAt,
      ...(s.faults.length > 0 ? { faults: s.faults } : {}),
      ...(run.target === 'latency' && run.latency ? { latency: run.latency } : {}),
    },
    now,
  );
}
