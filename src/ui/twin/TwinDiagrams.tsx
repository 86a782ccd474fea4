// The seed and the two learned structures (the pair's first run, then its second) side by side, at one shared scale (the widest seed
// layer), so equal channels get equal widths across the three and the difference shows at once.
import type { NetworkSpec } from '../../morphnet/types.ts';
import { targetedTitle } from '../../state/twin/labels.ts';
import type { TwinRun } from '../../state/twin/store.ts';
import { StructureDiagram } from '../../viz/index.ts';

const WIDTH = 260;
const HEIGHT = 420;

function widest(spec: NetworkSpec): number {
  return Math.max(1, ...spec.layers.map((l) => (l.type === 'conv' ? l.filters : 0)));
}

export function TwinDiagrams(props: { seed: NetworkSpec; a: TwinRun; b: TwinRun }) {
  const { a, b } = props;
  const maxChannels = widest(props.seed);
  const common = { spec: props.seed, width: WIDTH, height: HEIGHT, maxChannels };
  return (
    <div className="twin-diagrams">
      <StructureDiagram {...common} title="Seed" />
      <StructureDiagram {...common} alive={a.alive} title={`${targetedTitle(a.target)} · step ${a.step}`} />
      <StructureDiagram {...common} alive={b.alive} title={`${targetedTitle(b.target)} · step ${b.step}`} />
    </div>
  );
}
