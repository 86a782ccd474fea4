// The latency the views show: the diagram's hover and the cost panel's row, priced by the
// method's networkLatency on the device chosen.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { networkLatency } from '../../morphnet/latency.ts';
import { seedSpec } from '../../morphnet/seeds.ts';
import { formatNs } from '../../state/latency.ts';
import { CostPanel } from '../../viz/CostPanel.tsx';
import { StructureDiagram } from '../../viz/StructureDiagram.tsx';
import { costLatencyRow, layerLatencyText, type PricedLatency } from './usePricedLatency.ts';

const t4: PricedLatency = { settings: { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 1 }, label: 'T4, batch 1' };
const spec = seedSpec('plain-cnn');
const alive = { conv1: 4, conv2: 8 };

describe('latency in the views', () => {
  it("gives each layer the method's predicted latency, with the device", () => {
    const text = layerLatencyText(spec, alive, t4)!;
    const layers = networkLatency(spec, alive, t4.settings).layers;
    expect(Object.keys(text)).toEqual(layers.map((l) => l.name));
    const conv1 = layers.find((l) => l.name === 'conv1')!;
    expect(text['conv1']).toBe(`${formatNs(conv1.latencyNs)} on T4, batch 1`);
    expect(layerLatencyText(spec, alive, null)).toBeNull();
  });

  it("shows it in the diagram's tooltip", () => {
    const latency = layerLatencyText(spec, alive, t4)!;
    const html = renderToStaticMarkup(
      <StructureDiagram
        spec={spec}
        alive={alive}
        title="t"
        highlighted="conv1"
        layerCosts={{ conv1: { flops: 1000, params: 10, latency: latency['conv1'] } }}
      />,
    );
    expect(html).toContain(`<div>predicted ${latency['conv1']!}</div>`);
  });

  it('prices the alive network against the seed on the same device in the cost panel', () => {
    const row = costLatencyRow(spec, spec, alive, t4)!;
    expect(row.now).toBe(networkLatency(spec, alive, t4.settings).latencyNs);
    expect(row.seed).toBe(networkLatency(spec, undefined, t4.settings).latencyNs);
    expect(row.now).toBeLessThan(row.seed);
    expect(costLatencyRow(spec, spec, alive, null)).toBeUndefined();
    const html = renderToStaticMarkup(
      <CostPanel flops={1} params={1} seedFlops={2} seedParams={2} history={[]} latency={{ ...row, now: 2.5e5, seed: 1e6 }} />,
    );
    expect(html).toContain('<dt>Latency</dt>');
    expect(html).toContain('250 µs');
    expect(html).toContain('25% of seed (1 ms)');
    expect(html).toContain('predicted on T4, batch 1');
  });
});
