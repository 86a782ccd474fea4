// The trade-off chart (issue 4): test accuracy against cost for the uniform width multiplier,
// magnitude pruning and MorphNet, from a sweep file `morphnet sweep` wrote. The page shows the
// default sweep from its own origin, or one the person imports (kept in IndexedDB).
import { useEffect, useMemo } from 'react';
import type { SweepFile } from '../../morphnet/sweep.ts';
import { useStudio } from '../../state/store.ts';
import {
  backToDefault,
  importSweepFile,
  loadDefaultSweep,
  selectTradeoffPoint,
  setTradeoffMetric,
  setTradeoffView,
  startTradeoff,
} from '../../state/tradeoff/actions.ts';
import { pageSweep } from '../../state/tradeoff/page-sweep.ts';
import { useQueueStore } from '../../state/tradeoff/queue-store.ts';
import { useTradeoffStore } from '../../state/tradeoff/store.ts';
import type { TradeoffInput } from '../../viz/layout/tradeoff.ts';
import { TradeoffChart } from '../../viz/TradeoffChart.tsx';
import { FileButton } from '../FileButton.tsx';
import { MeasuredLatencyNote, useMeasuredLatency } from './MeasuredLatency.tsx';
import { PageQueue } from './PageQueue.tsx';
import { PointDetail } from './PointDetail.tsx';
import { TradeoffSummary } from './TradeoffSummary.tsx';
import './tradeoff.css';

/** Committed by the lead under public/sweeps/ (made with `morphnet sweep`, see its settings). */
export const DEFAULT_SWEEP_URL = `${import.meta.env.BASE_URL}sweeps/resnet-mini-mnist-flops.json`;
/** The sweeps `npm run results` writes under public/sweeps/, one per dataset of docs/RESULTS.md. */
export const BUNDLED_SWEEPS = [
  { url: DEFAULT_SWEEP_URL, label: 'resnet-mini on MNIST' },
  {
    url: `${import.meta.env.BASE_URL}sweeps/resnet-mini-fashion-flops.json`,
    label: 'resnet-mini on Fashion-MNIST',
  },
] as const;

/** The bundled sweep of the page's dataset if there is one, else MNIST's. */
const defaultFor = (dataset: string) =>
  (BUNDLED_SWEEPS.find((b) => b.url.endsWith(`-${dataset}-flops.json`)) ?? BUNDLED_SWEEPS[0]).url;

/** The page's kept points as a sweep (null until one is measured for this network and settings). */
function usePageSweep(): SweepFile | null {
  const points = useQueueStore((s) => s.points);
  const queueContext = useQueueStore((s) => s.context);
  const steps = useQueueStore((s) => s.steps);
  const finetune = useQueueStore((s) => s.finetune);
  const seed = useStudio((s) => s.seedSpec);
  const settings = useStudio((s) => s.settings);
  const imported = useStudio((s) => s.importedSpec);
  return useMemo(() => {
    if (!seed || !queueContext) return null;
    // The grid's step count if anything was measured at it, else the latest measured one (the
    // grid may have been edited since).
    const latest = points.reduce<(typeof points)[number] | null>(
      (a, r) => (a && a.savedAt >= r.savedAt ? a : r),
      null,
    );
    const shown = points.some((r) => r.steps === steps) ? steps : (latest?.steps ?? steps);
    const name = imported ? imported.name : settings.net;
    return pageSweep(points, { name, seed, settings, steps: shown, finetune });
  }, [points, queueContext, steps, finetune, seed, settings, imported]);
}

const AXIS_WORDS = {
  flops: 'FLOPs',
  params: 'parameters',
  latency: 'latency measured on this device',
} as const;

/** A timed network's measured latency as the chart takes it. */
const withLatency = (t: { medianMs: number } | undefined) => (t ? { latencyMs: t.medianMs } : {});

const pointCount = (n: number) => `${n} point${n === 1 ? '' : 's'}`;

export function TradeoffSection() {
  const fileSweep = useTradeoffStore((s) => s.sweep);
  const view = useTradeoffStore((s) => s.view);
  const pageSweepFile = usePageSweep();
  const sweep = view === 'page' ? pageSweepFile : fileSweep;
  const origin = useTradeoffStore((s) => s.origin);
  const loading = useTradeoffStore((s) => s.loading);
  const loadError = useTradeoffStore((s) => s.loadError);
  const importError = useTradeoffStore((s) => s.importError);
  const keepError = useTradeoffStore((s) => s.keepError);
  const metric = useTradeoffStore((s) => s.metric);
  const selected = useTradeoffStore((s) => s.selected);
  const timed = useMeasuredLatency(sweep, metric);

  useEffect(() => {
    void startTradeoff(defaultFor(useStudio.getState().settings.dataset));
  }, []);

  const points = useMemo<TradeoffInput[]>(
    () =>
      sweep?.points.map((p) => ({
        family: p.family,
        label: p.label,
        flops: p.flops,
        params: p.params,
        accuracy: p.testAccuracy,
        ...(p.seeds && p.seeds.length > 1 ? { spread: seedSpread(p.seeds) } : {}),
        ...withLatency(timed(p.spec)),
      })) ?? [],
    [sweep, timed],
  );
  const seedCost = useMemo(
    () =>
      sweep && { flops: sweep.seed.flops, params: sweep.seed.params, ...withLatency(timed(sweep.seed.spec)) },
    [sweep, timed],
  );
  const point = selected === null ? undefined : sweep?.points[selected];

  return (
    <section className="card tradeoff-section" aria-labelledby="tradeoff-title">
      <div className="tradeoff-head">
        <div>
          <h2 id="tradeoff-title">Trade-off: MorphNet against the simple baselines</h2>
          <p className="muted small tradeoff-intro">
            Each point is a network trained and scored on the test set. The uniform width multiplier scales
            every layer of the seed alike; magnitude pruning removes each layer&apos;s weakest filters from
            the trained seed and fine-tunes; MorphNet learns which layers to thin, then grows the result back
            to a budget. Up and to the left is better. Click a point (or focus it and press Enter) to see its
            structure.
          </p>
        </div>
        <div className="tradeoff-source">
          <p className="tradeoff-origin" aria-live="polite">
            {view === 'page' ? (
              <>
                Showing <strong>this page&apos;s network</strong>, measured in this browser
              </>
            ) : origin?.kind === 'imported' ? (
              <>
                Showing imported <strong>{origin.name}</strong>
              </>
            ) : origin?.kind === 'default' ? (
              <>
                Showing the default sweep <strong>{origin.url.split('/').pop()}</strong>
              </>
            ) : loading ? (
              'Loading the sweep…'
            ) : null}
          </p>
          <div className="button-row">
            {view === 'file' && origin?.kind === 'default' && (
              <select
                aria-label="Bundled sweep"
                className="tradeoff-bundled"
                value={origin.url}
                onChange={(e) => void loadDefaultSweep(e.currentTarget.value)}
              >
                {BUNDLED_SWEEPS.map((b) => (
                  <option key={b.url} value={b.url}>
                    {b.label}
                  </option>
                ))}
              </select>
            )}
            <FileButton
              label="Import sweep file…"
              title="Show a sweep file written by `npx morphnet sweep`"
              inputLabel="Import sweep file"
              onFile={(file) => void importSweepFile(file)}
            />
            {origin?.kind === 'imported' && (
              <button
                type="button"
                className="secondary"
                onClick={() => void backToDefault(defaultFor(useStudio.getState().settings.dataset))}
              >
                Back to the default
              </button>
            )}
          </div>
        </div>
      </div>
      {importError && (
        <p className="field-error tradeoff-error" role="alert">
          {importError}
        </p>
      )}
      {keepError && origin?.kind === 'imported' && (
        <p className="field-error tradeoff-error" role="alert">
          {keepError}
        </p>
      )}
      <div className="tradeoff-view" role="radiogroup" aria-label="Show on the chart">
        {(
          [
            ['file', 'the sweep file'],
            ['page', `this page's network (${pointCount(pageSweepFile?.points.length ?? 0)})`],
          ] as const
        ).map(([v, label]) => (
          <label key={v}>
            <input
              type="radio"
              name="tradeoff-view"
              checked={view === v}
              onChange={() => setTradeoffView(v)}
            />{' '}
            {label}
          </label>
        ))}
      </div>
      {view === 'file' && loadError && !sweep && <p className="placeholder">{loadError}</p>}
      {view === 'page' && !sweep && (
        <p className="placeholder">
          Nothing measured for this page&apos;s network at these settings yet: measure it below.
        </p>
      )}
      {sweep && seedCost && (
        <>
          <div className="tradeoff-body">
            <div className="tradeoff-chart">
              <TradeoffChart
                points={points}
                seed={seedCost}
                metric={metric}
                onMetricChange={setTradeoffMetric}
                selected={selected}
                onSelect={selectTradeoffPoint}
                title={`Test accuracy against ${AXIS_WORDS[metric]}: ${sweep.settings.spec} on ${sweep.settings.dataset}`}
              />
              {metric === 'latency' && <MeasuredLatencyNote sweep={sweep} timed={timed} />}
            </div>
            <PointDetail sweep={sweep} point={point} />
          </div>
          <TradeoffSummary
            sweep={sweep}
            // The comparison at equal cost stays in FLOPs on the latency axis (it says so).
            metric={metric === 'latency' ? 'flops' : metric}
            measuredHere={view === 'page'}
            fileName={
              view === 'page'
                ? undefined
                : origin?.kind === 'imported'
                  ? origin.name
                  : origin?.url.split('/').pop()
            }
          />
        </>
      )}
      <PageQueue />
    </section>
  );
}

/** A merged sweep point's seeds as the chart draws them: their lowest and highest accuracy. */
function seedSpread(seeds: readonly { testAccuracy: number }[]) {
  const accs = seeds.map((s) => s.testAccuracy);
  return { min: Math.min(...accs), max: Math.max(...accs), seeds: seeds.length };
}
