// Each conv layer's alive fraction in both runs of the pair as a pair of bars, and the computed reading of
// early against late layers (src/state/twin/reading.ts), never a hard-coded sentence.
import { runLabel, runTitle } from '../../state/twin/labels.ts';
import type { TwinPair, TwinTarget } from '../../state/twin/store.ts';
import {
  describeTwin,
  isPaperPair,
  type LayerFractions,
  type TwinReading as Reading,
} from '../../state/twin/reading.ts';
import { formatPercent } from '../../viz/format.ts';

function Bar(props: { fraction: number; kind: TwinTarget; layer: string }) {
  const pct = formatPercent(props.fraction);
  const run = runLabel(props.kind);
  return (
    <div className="twin-bar" title={`${props.layer}: the ${run} keeps ${pct} of the seed's channels`}>
      <span className="twin-bar-track">
        <span className={`twin-bar-fill twin-bar-${props.kind}`} style={{ width: pct }} />
      </span>
      <span className="twin-bar-label">{pct}</span>
    </div>
  );
}

export function TwinReading({ reading, pair }: { reading: Reading | null; pair: TwinPair }) {
  const className =
    reading?.pattern === true && isPaperPair(pair) ? 'twin-reading is-pattern' : 'twin-reading';
  return (
    <p className={className} role="status" aria-label="Twin reading">
      {describeTwin(reading, pair)}
    </p>
  );
}

export function TwinTable(props: {
  rows: readonly LayerFractions[];
  reading: Reading | null;
  pair: TwinPair;
}) {
  const { rows, reading, pair } = props;
  const group = (name: string) =>
    reading?.early.layers.includes(name) ? 'early' : reading?.late.layers.includes(name) ? 'late' : '';
  return (
    // Scrolls sideways on a narrow screen; focusable so the keyboard can scroll it too.
    <div className="twin-table-scroll" role="region" aria-label="Alive fractions, scrollable" tabIndex={0}>
      <table className="twin-table" aria-label="Alive fraction per layer">
        <thead>
          <tr>
            <th scope="col" title="Conv layers, the output end first (as in the diagrams)">
              Layer
            </th>
            <th scope="col" title="Channels in the seed network">
              Seed
            </th>
            {pair.map((t) => (
              <th
                key={t}
                scope="col"
                className={`twin-col-${t}`}
                title="Share of the seed's channels still alive"
              >
                {runTitle(t)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {/* Output first, as the diagrams beside it draw the input at the bottom. */}
          {[...rows].reverse().map((r) => (
            <tr key={r.name} className={group(r.name) ? `twin-row-${group(r.name)}` : undefined}>
              <th
                scope="row"
                title={group(r.name) ? `An ${group(r.name)} layer in the reading below` : undefined}
              >
                {r.name}
              </th>
              <td>{r.seed}</td>
              <td>
                <Bar fraction={r.a} kind={pair[0]} layer={r.name} />
              </td>
              <td>
                <Bar fraction={r.b} kind={pair[1]} layer={r.name} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
