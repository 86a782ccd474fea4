// Exports of the run training now: the learned structure in the reference's format, the network
// as a spec, the structure diagram as SVG and PNG, the metrics as CSV, a link that reproduces the
// run, and a classroom link that also hides the controls a teacher picks.
import { useId, useState } from 'react';
import { formatSpec } from '../../morphnet/spec.ts';
import { metricsCsv } from '../../state/runs/csv.ts';
import { currentRunSnapshot } from '../../state/runs/recorder.ts';
import { useStudio } from '../../state/store.ts';
import { HIDEABLE_CONTROLS, shareQuery, type ControlName } from '../../state/url.ts';
import { withStartQuery } from '../../state/pretrained/start.ts';
import { CONTROL_LABELS } from '../Controls.tsx';
import { downloadPytorch } from './pytorch-download.ts';
import { copyText, download, downloadStructure, fileSafe, pageUrl, serializeSvg, svgToPng } from './files.ts';

/** The live structure diagram (App places it in the region named "Structure"). */
function liveDiagram(): SVGSVGElement | null {
  return document.querySelector<SVGSVGElement>('section[aria-label="Structure"] svg.viz-svg');
}

function baseName(): string {
  const s = useStudio.getState();
  const net = s.spec?.name ?? s.settings.net;
  return fileSafe(`${net}-${s.settings.target}-cycle${s.cycle}-step${s.step}`);
}

export function ExportCurrent() {
  const ready = useStudio((s) => s.spec !== null && s.cost !== null);
  const importedSpec = useStudio((s) => s.importedSpec !== null);
  const [hidden, setHidden] = useState<ControlName[]>([]);
  const [withTour, setWithTour] = useState(false);
  const [link, setLink] = useState<{ kind: string; url: string; copied: boolean } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const linkId = useId();

  const guard = async (what: string, fn: () => void | Promise<void>) => {
    setProblem(null);
    try {
      await fn();
    } catch (e) {
      setProblem(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const share = async (kind: string, hide: ControlName[], tour = false) => {
    // "Start from" is a page key beside the settings: the class starts from the same weights.
    const query = withStartQuery(shareQuery(useStudio.getState().settings, hide));
    // The classroom flag that opens the guided tour (ui/tour) when the class loads the link.
    const url = pageUrl(tour ? `${query === '' ? '?' : `${query}&`}tour=1` : query);
    setLink({ kind, url, copied: false });
    const copied = await copyText(url);
    setLink({ kind, url, copied });
  };
  const svgText = () => {
    const svg = liveDiagram();
    if (!svg) throw new Error('the diagram is not on the page yet');
    const s = useStudio.getState();
    const caption = svg.closest('figure')?.querySelector('figcaption')?.textContent ?? s.spec?.name ?? '';
    return serializeSvg(svg, `${caption} · step ${s.step}`);
  };

  // Each button's label also names it in the one-line problem when its download fails.
  const downloads: [label: string, title: string, save: () => void | Promise<void>][] = [
    [
      'Structure',
      "The learned structure in the reference implementation's format (alive_<step>: each conv's alive channels), to retrain at scale in TensorFlow or PyTorch",
      () => {
        const s = useStudio.getState();
        if (s.spec) downloadStructure(s.spec, s.alive, s.step);
      },
    ],
    [
      'Network spec',
      'The network training now (after an expansion, the expanded one) as a spec JSON you can import',
      () => {
        const s = useStudio.getState();
        if (s.spec) download(`${fileSafe(`${s.spec.name}-cycle${s.cycle}`)}.json`, formatSpec(s.spec));
      },
    ],
    [
      'Diagram SVG',
      'The structure diagram as an SVG file',
      () => download(`${baseName()}.svg`, svgText(), 'image/svg+xml'),
    ],
    [
      'Diagram PNG',
      'The structure diagram as a PNG image, twice its size on screen',
      async () => download(`${baseName()}.png`, await svgToPng(svgText())),
    ],
    [
      'PyTorch package',
      'This network as a Python package (model.py, morphnet.py, train.py): the same MorphNet regularizer in PyTorch, on one machine or many with torchrun',
      () => {
        const run = currentRunSnapshot();
        if (run) downloadPytorch(run, baseName(), 'spec');
      },
    ],
    [
      'PyTorch, learned widths',
      'The same package for the network at the widths this run has learned (its alive channels), to retrain at scale',
      () => {
        const run = currentRunSnapshot();
        if (run) downloadPytorch(run, baseName(), 'alive');
      },
    ],
    [
      'Metrics CSV',
      'Loss, accuracy, FLOPs, parameters and test accuracy per step, every cycle, as CSV',
      () => {
        const run = currentRunSnapshot();
        if (run) download(`${baseName()}-metrics.csv`, metricsCsv(run.metrics), 'text/csv');
      },
    ],
  ];

  return (
    <details className="runs-export">
      <summary title="Download what this run has learned, or share a link to it">Export this run</summary>
      <div className="export-grid" role="group" aria-label="Export this run">
        {downloads.map(([label, title, save]) => (
          <button
            key={label}
            type="button"
            className="secondary"
            disabled={!ready}
            title={title}
            onClick={() => void guard(label, save)}
          >
            {label}
          </button>
        ))}
        <button
          type="button"
          className="secondary"
          title="Copy a link that opens the studio with this run's settings"
          onClick={() => void share('Reproduce link', [])}
        >
          Reproduce link
        </button>
      </div>
      <fieldset
        className="classroom"
        title="A link for a class: the same settings, with the controls you tick hidden"
      >
        <legend>Classroom link: hide</legend>
        <div className="classroom-choices">
          {HIDEABLE_CONTROLS.map((c) => (
            <label key={c} title={`Hide the ${CONTROL_LABELS[c]} control on the linked page`}>
              <input
                type="checkbox"
                checked={hidden.includes(c)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setHidden((h) => (on ? [...h, c] : h.filter((x) => x !== c)));
                }}
              />
              {CONTROL_LABELS[c]}
            </label>
          ))}
        </div>
        <label title="The linked page opens with the guided tour of its parts">
          <input type="checkbox" checked={withTour} onChange={(e) => setWithTour(e.currentTarget.checked)} />
          Start with the guided tour
        </label>
        <button
          type="button"
          className="secondary"
          title="Copy a link with these settings that hides the ticked controls"
          onClick={() => void share('Classroom link', hidden, withTour)}
        >
          Classroom link
        </button>
      </fieldset>
      {importedSpec && (
        <p className="small muted">
          This run&apos;s network came from a file: a link opens the built-in network with the same settings.
        </p>
      )}
      {link && (
        <div className="field share-link">
          <label htmlFor={linkId}>
            {link.kind}
            {link.copied ? ' (copied)' : ' (copy it from here)'}
          </label>
          <input
            id={linkId}
            readOnly
            value={link.url}
            title="The link; select it to copy"
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </details>
  );
}
