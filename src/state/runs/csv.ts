// A run's metrics as CSV, one row per (cycle, step) that has any reading: the training curve, the
// alive network's cost and the test accuracy side by side, empty where a step has no reading.
import type { RunMetrics } from './record.ts';

export const METRICS_CSV_COLUMNS = [
  'cycle',
  'step',
  'task_loss',
  'reg_loss',
  'train_accuracy',
  'flops',
  'params',
  'test_accuracy',
] as const;

type Row = Partial<Record<(typeof METRICS_CSV_COLUMNS)[number], number>>;

export function metricsCsv(metrics: RunMetrics): string {
  const rows = new Map<string, Row>();
  const row = (cycle: number, step: number): Row => {
    const key = `${cycle}:${step}`;
    let r = rows.get(key);
    if (!r) {
      r = { cycle, step };
      rows.set(key, r);
    }
    return r;
  };
  for (const p of metrics.curve) {
    Object.assign(row(p.cycle, p.step), {
      task_loss: p.taskLoss,
      reg_loss: p.regLoss,
      train_accuracy: p.trainAccuracy,
    });
  }
  for (const p of metrics.costCurve)
    Object.assign(row(p.cycle, p.step), { flops: p.flops, params: p.params });
  for (const p of metrics.testCurve) row(p.cycle, p.step).test_accuracy = p.accuracy;
  const sorted = [...rows.values()].sort((a, b) => a.cycle! - b.cycle! || a.step! - b.step!);
  const lines = [
    METRICS_CSV_COLUMNS.join(','),
    ...sorted.map((r) => METRICS_CSV_COLUMNS.map((c) => (r[c] === undefined ? '' : String(r[c]))).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}
