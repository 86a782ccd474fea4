// A saved run opened from the list: its structure diagram, its numbers, and a link that
// reproduces it (the page with its settings). A modal dialog; Escape or Close shuts it.
import { useEffect, useId, useRef, useState } from 'react';
import { metricsCsv } from '../../state/runs/csv.ts';
import { flopsFraction, type RunRecord } from '../../state/runs/record.ts';
import { getRun } from '../../state/runs/runs.ts';
import { hardwareName, predictedLatencyNs } from '../../state/runs/latency.ts';
import { formatNs } from '../../state/latency.ts';
import { shareQuery } from '../../state/url.ts';
import { StructureDiagram } from '../../viz/StructureDiagram.tsx';
import { formatCount, formatPercent } from '../../viz/format.ts';
import { formatAccuracy } from '../format.ts';
import { downloadPytorch } from './pytorch-download.ts';
import { download, downloadStructure, fileSafe, pageUrl, serializeSvg, svgToPng } from './files.ts';
import { exportRunJson } from './RunRow.tsx';
import { formatTime, targetLabel } from './runText.ts';

/** A latency run's predicted latency now, on the device it priced for and its batch. */
export function latencyRow(run: RunRecord): [string, string][] {
  const ns = predictedLatencyNs(run);
  if (!run.latency || ns === null) return [];
  return [
    ['Latency', `${formatNs(ns)} predicted on ${hardwareName(run.latency)}, batch ${run.latency.batch}`],
  ];
}

function Numbers({ run }: { run: RunRecord }) {
  const f = flopsFraction({ cost: run.cost, seedCost: run.seedCost });
  const p = run.cost && run.seedCost.params > 0 ? run.cost.params / run.seedCost.params : null;
  const rows: [string, string][] = [
    ['Target', `${targetLabel(run.settings.target)}, strength ${run.settings.strength}`],
    ['Step · cycle', `${run.step} · ${run.cycle}`],
    [
      'FLOPs',
      run.cost ? `${formatCount(run.cost.flops)} (${f === null ? '–' : formatPercent(f)} of seed)` : '–',
    ],
    [
      'Parameters',
      run.cost ? `${formatCount(run.cost.params)} (${p === null ? '–' : formatPercent(p)} of seed)` : '–',
    ],
    ...latencyRow(run),
    ['Test accuracy', formatAccuracy(run.testAccuracy)],
    ['Data · batch · seed', `${run.settings.dataset} · ${run.settings.batch} · ${run.settings.seed}`],
    ['Threshold · lr', `${run.settings.threshold} · ${run.settings.lr}`],
    ['Backend', run.backend ?? '–'],
    ['Saved', formatTime(run.updatedAt)],
  ];
  return (
    <dl className="run-numbers">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RunView({ id, onClose }: { id: string | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const figure = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [run, setRun] = useState<RunRecord | null>(null);
  const [missing, setMissing] = useState(false);
  const [pytorchProblem, setPytorchProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    if (id === null) return;
    void getRun(id).then((r) => {
      if (!live) return;
      setRun(r ?? null);
      setMissing(!r);
    });
    return () => {
      live = false;
    };
  }, [id]);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (id !== null && !d.open) d.showModal();
    if (id === null && d.open) d.close();
  }, [id]);

  const svg = () => {
    const el = figure.current?.querySelector<SVGSVGElement>('svg.viz-svg');
    if (!el || !run) throw new Error('no diagram');
    return serializeSvg(el, el.closest('figure')?.querySelector('figcaption')?.textContent ?? run.name);
  };
  const shown = run && run.id === id ? run : null;
  const reproduce = shown ? pageUrl(shareQuery(shown.settings)) : '';
  return (
    <dialog
      ref={ref}
      className="run-dialog"
      aria-labelledby={titleId}
      onClose={() => {
        setRun(null);
        setMissing(false);
        onClose();
      }}
    >
      <h2 id={titleId}>{shown ? shown.name : 'Run'}</h2>
      {missing && <p className="notice warn">This run is no longer saved.</p>}
      {shown && (
        <div className="run-view">
          <div ref={figure}>
            <StructureDiagram
              spec={shown.spec}
              alive={shown.alive}
              title={`${shown.spec.name}${shown.cycle > 0 ? ` · expanded ×${shown.cycle}` : ''} · ${targetLabel(shown.settings.target)} target · step ${shown.step}`}
              width={320}
              height={420}
            />
          </div>
          <div className="run-view-side">
            <Numbers run={shown} />
            {shown.faults && shown.faults.length > 0 && (
              <div className="run-view-faults">
                <h3 className="small">What went wrong while it trained</h3>
                <ul className="small">
                  {shown.faults.map((f, i) => (
                    <li key={i}>{f.message}</li>
                  ))}
                </ul>
              </div>
            )}
            <p>
              <a href={reproduce} title="Open the studio with this run's settings, to train it again">
                Reproduce this run
              </a>
              {shown.importedSpec && (
                <span className="small muted">
                  {' '}
                  (its network came from a file: import it again after opening)
                </span>
              )}
            </p>
            <div className="button-row" role="group" aria-label="Export this saved run">
              <button
                type="button"
                className="secondary"
                title="Download this run as a JSON file"
                onClick={() => void exportRunJson(shown.id)}
              >
                JSON
              </button>
              <button
                type="button"
                className="secondary"
                title="Its learned structure in the reference format (alive_<step>)"
                onClick={() => downloadStructure(shown.spec, shown.alive, shown.step)}
              >
                Structure
              </button>
              <button
                type="button"
                className="secondary"
                title="Its metrics, every cycle, as CSV"
                onClick={() =>
                  download(`${fileSafe(shown.name)}-metrics.csv`, metricsCsv(shown.metrics), 'text/csv')
                }
              >
                CSV
              </button>
              <button
                type="button"
                className="secondary"
                title="This diagram as an SVG file"
                onClick={() => download(`${fileSafe(shown.name)}.svg`, svg(), 'image/svg+xml')}
              >
                SVG
              </button>
              <button
                type="button"
                className="secondary"
                title="This diagram as a PNG image"
                onClick={() => void svgToPng(svg()).then((b) => download(`${fileSafe(shown.name)}.png`, b))}
              >
                PNG
              </button>
              <button
                type="button"
                className="secondary"
                title="Its network at the widths it learned, as a PyTorch package (model.py, morphnet.py, train.py) to retrain at scale"
                onClick={() => {
                  setPytorchProblem(null);
                  try {
                    downloadPytorch(shown, shown.name, 'alive');
                  } catch (e) {
                    setPytorchProblem(`PyTorch: ${e instanceof Error ? e.message : String(e)}`);
                  }
                }}
              >
                PyTorch
              </button>
            </div>
            {pytorchProblem && (
              <p className="field-error" role="alert">
                {pytorchProblem}
              </p>
            )}
          </div>
        </div>
      )}
      <div className="button-row end">
        <button type="button" onClick={() => ref.current?.close()} title="Close (Escape)">
          Close
        </button>
      </div>
    </dialog>
  );
}
