// SVG snapshots of the components with seeded data (numbers are rounded by the layouts), plus
// the accessibility contract the page and its e2e tests rely on.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CostPanel } from './CostPanel.tsx';
import { Curves } from './Curves.tsx';
import { GammaHistograms } from './GammaHistograms.tsx';
import type { NetworkSpec } from '../morphnet/types.ts';
import { layerIndexAfterKey, StructureDiagram } from './StructureDiagram.tsx';
import { bimodalGammas, resnetSpec } from './test/fixtures.ts';

// Pretty-print one tag per line so a snapshot diff points at the element that changed.
const pretty = (html: string) => html.replace(/></g, '>\n<');

describe('StructureDiagram', () => {
  const alive = { stem: 8, 's1b2/conv1': 0, 's1b2/conv2': 0, 's2b1/conv1': 20 };
  const html = renderToStaticMarkup(
    <StructureDiagram
      spec={resnetSpec}
      alive={alive}
      title="FLOPs-targeted"
      width={320}
      height={480}
      highlighted="stem"
      layerCosts={{ stem: { flops: 225792, params: 144 } }}
    />,
  );

  it('is one listbox with one tab stop whose options name each layer with its channels', () => {
    expect(html.match(/role="listbox"/g)?.length).toBe(1);
    expect(html.match(/tabindex="0"/g)?.length).toBe(1);
    expect(html.match(/role="option"/g)?.length).toBe(10);
    expect(html).toMatch(/role="option" aria-selected="false" aria-label="s1b2\/conv1: 0\/16 channels"/);
    expect(html).toContain('aria-label="stem: 8/16 channels"');
    expect(html).toContain('aria-label="s2b1/proj: 32/32 channels"');
    expect(html.match(/viz-layer-gone/g)?.length).toBe(2);
    // The first layer is the keyboard's until a key moves it, and it is the one selected.
    const active = html.match(/aria-activedescendant="([^"]+)"/)?.[1];
    expect(html).toContain(
      `id="${active}" class="viz-layer viz-layer-trunk viz-layer-conv is-active" role="option" aria-selected="true" aria-label="stem: 8/16 channels"`,
    );
    // Nothing but the options is exposed inside it: the drawing around them is hidden.
    expect(html.match(/<g class="viz-(stage|input|join[^"]*)" aria-hidden="true"/g)?.length).toBe(
      html.match(/<g class="viz-(stage|input|join[^"]*)"/g)?.length,
    );
  });

  it('keeps one tab stop for a 5,000-layer chain', () => {
    const layers: NetworkSpec['layers'] = Array.from({ length: 5000 }, (_, i) => ({
      type: 'conv',
      name: `c${i}`,
      from: i === 0 ? 'input' : `c${i - 1}`,
      filters: 4,
      kernel: 1,
    }));
    const chain: NetworkSpec = {
      name: 'chain',
      input: { height: 4, width: 4, channels: 1 },
      classes: 2,
      layers: [
        ...layers,
        { type: 'gap', name: 'pool', from: 'c4999' },
        { type: 'dense', name: 'out', from: 'pool', units: 2 },
      ],
    };
    const big = renderToStaticMarkup(<StructureDiagram spec={chain} title="chain" />);
    expect(big.match(/tabindex=/g)?.length).toBe(1);
    expect(big.match(/role="option"/g)?.length).toBe(5000);
  });

  it('is a labelled image when there are no layers to move between', () => {
    const flat: NetworkSpec = {
      name: 'flat',
      input: { height: 4, width: 4, channels: 1 },
      classes: 2,
      layers: [
        { type: 'gap', name: 'pool', from: 'input' },
        { type: 'dense', name: 'out', from: 'pool', units: 2 },
      ],
    };
    const html = renderToStaticMarkup(<StructureDiagram spec={flat} title="flat" />);
    expect(html).toMatch(/<svg [^>]*aria-labelledby="[^"]+" role="img">/);
    expect(html).not.toContain('tabindex');
  });

  it('moves between layers with the arrow keys, Page keys, Home and End, within bounds', () => {
    expect(layerIndexAfterKey(0, 'ArrowUp', 6)).toBe(1);
    expect(layerIndexAfterKey(0, 'ArrowRight', 6)).toBe(1);
    expect(layerIndexAfterKey(3, 'ArrowDown', 6)).toBe(2);
    expect(layerIndexAfterKey(3, 'ArrowLeft', 6)).toBe(2);
    expect(layerIndexAfterKey(0, 'ArrowDown', 6)).toBe(0);
    expect(layerIndexAfterKey(5, 'ArrowUp', 6)).toBe(5);
    expect(layerIndexAfterKey(2, 'PageUp', 6)).toBe(5);
    expect(layerIndexAfterKey(4990, 'PageUp', 5000)).toBe(4999);
    expect(layerIndexAfterKey(12, 'PageDown', 5000)).toBe(2);
    expect(layerIndexAfterKey(3, 'Home', 6)).toBe(0);
    expect(layerIndexAfterKey(3, 'End', 6)).toBe(5);
    expect(layerIndexAfterKey(3, 'Enter', 6)).toBeNull();
    expect(layerIndexAfterKey(0, 'ArrowUp', 0)).toBeNull();
  });

  it('shows the highlighted layer in a tooltip with its costs', () => {
    expect(html).toContain('role="tooltip"');
    expect(html).toContain('8/16 channels alive');
    expect(html).toContain('226k FLOPs · 144 params');
  });

  it('matches the SVG snapshot', () => {
    expect(pretty(html)).toMatchSnapshot();
  });
});

describe('GammaHistograms', () => {
  const gammas = { stem: bimodalGammas(16, 0.4, 1), 's2b1/conv1': bimodalGammas(32, 0.2, 2) };
  const html = renderToStaticMarkup(
    <GammaHistograms gammas={gammas} threshold={1e-3} onThresholdChange={() => {}} bins={12} />,
  );

  it('exposes one keyboard slider for the threshold', () => {
    expect(html.match(/role="slider"/g)?.length).toBe(1);
    expect(html).toContain('aria-valuenow="0.001"');
    expect(html).toContain('aria-valuetext="1.0e-3"');
  });

  it('says a fixed threshold is read-only and gives nothing to drag', () => {
    const fixed = renderToStaticMarkup(<GammaHistograms gammas={gammas} threshold={1e-3} bins={12} />);
    expect(fixed).toContain('aria-readonly="true"');
    expect(fixed).toContain('threshold 1.0e-3 (fixed)');
    expect(fixed).toContain('class="viz-histograms viz-readonly"');
    expect(html).not.toContain('aria-readonly');
    expect(html).not.toContain('(fixed)');
  });

  it('labels each panel with its alive count', () => {
    const alive = Array.from(gammas.stem).filter((v) => v > 1e-3).length;
    expect(html).toContain(`${alive}/16 alive`);
  });

  it('matches the SVG snapshot', () => {
    expect(pretty(html)).toMatchSnapshot();
  });
});

describe('CostPanel and Curves', () => {
  it('shows cost against the seed', () => {
    const html = renderToStaticMarkup(
      <CostPanel
        flops={1.6e6}
        params={4000}
        seedFlops={3.2e6}
        seedParams={5000}
        history={[
          { step: 0, flops: 3.2e6, params: 5000 },
          { step: 100, flops: 1.6e6, params: 4000 },
        ]}
      />,
    );
    expect(html).toContain('1.6M');
    expect(html).toContain('50% of seed (3.2M)');
    expect(html).toContain('80% of seed (5k)');
    expect(pretty(html)).toMatchSnapshot();
  });

  it('draws one line per series with a legend value', () => {
    const html = renderToStaticMarkup(
      <Curves
        title="Accuracy"
        yDomain={[0, 1]}
        series={[
          {
            name: 'train',
            points: [
              { x: 0, y: 0.1 },
              { x: 100, y: 0.9 },
            ],
          },
          {
            name: 'test',
            points: [
              { x: 0, y: 0.1 },
              { x: 100, y: 0.85 },
            ],
          },
        ]}
      />,
    );
    expect(html.match(/class="viz-line"/g)?.length).toBe(2);
    expect(html).toContain('0.850');
    expect(pretty(html)).toMatchSnapshot();
  });
});
