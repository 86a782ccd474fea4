// The seed and the two learned structures side by side, at one shared scale (the widest seed
// layer), so equal channels get equal widths across the three and the difference shows at once.
import type { NetworkSpec } from '../../morphnet/types.ts';
import type { TwinRun } from '../../state/twin/store.ts';
import { StructureDiagram } from '../../viz/index.ts';

const WIDTH = 260;
const HEIGHT = 420;

function widest(spec: NetworkSpec): number {
  return Math.max(1, ...spec.layers.map((l) => (l.type === 'conv' ? l.filters : 0)));
}

export function TwinDiagrams(props: { seed: NetworkSpec; flops: TwinRun; size: TwinRun }) {
  const { flops, size } = props;
  const maxChannels = widest(props.seed);
  const common = { spec: props.seed, width: WIDTH, height: HEIGHT, maxChannels };
  return (
    <div className="twin-diagrams">
      <StructureDiagram {...common} title="Seed" />
      <StructureDiagram {...common} alive={flops.alive} title={`FLOPs-targeted · step ${flops.step}`} />
      <StructureDiagram {...common} alive={size.alive} title={`Size-targeted · step ${size.step}`} />
    </div>
  );
}
