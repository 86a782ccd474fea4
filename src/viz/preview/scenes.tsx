// Seeded scenes for the preview screenshots: what the page will show mid-training.
import type { ReactElement } from 'react';
import { CostPanel } from '../CostPanel.tsx';
import { Curves } from '../Curves.tsx';
import { GammaHistograms } from '../GammaHistograms.tsx';
import { StructureDiagram } from '../StructureDiagram.tsx';
import { bimodalGammas, inceptionSpec, resnetSpec, rng } from '../test/fixtures.ts';

// FLOPs thin the early high-resolution layers; size thins the late wide ones (MORPHNET.md §7).
const flopsAlive = {
  stem: 9,
  's1b1/conv1': 5,
  's1b1/conv2': 9,
  's1b2/conv1': 0,
  's1b2/conv2': 0,
  's2b1/conv1': 26,
  's2b1/conv2': 29,
  's2b1/proj': 29,
  's2b2/conv1': 22,
  's2b2/conv2': 29,
};
const sizeAlive = {
  stem: 15,
  's1b1/conv1': 14,
  's1b1/conv2': 15,
  's1b2/conv1': 12,
  's1b2/conv2': 15,
  's2b1/conv1': 11,
  's2b1/conv2': 14,
  's2b1/proj': 14,
  's2b2/conv1': 0,
  's2b2/conv2': 0,
};
const costs = { stem: { flops: 225792, params: 144 }, 's1b1/conv1': { flops: 3612672, params: 2304 } };

function curves() {
  const r = rng(7);
  const steps = Array.from({ length: 60 }, (_, i) => i * 50);
  const loss = steps.map((x) => ({ x, y: 2.3 * Math.exp(-x / 600) + 0.15 + 0.05 * r() }));
  const reg = steps.map((x) => ({ x, y: 1.4 * Math.exp(-x / 1200) + 0.2 }));
  const train = steps.map((x) => ({ x, y: 0.98 - 0.85 * Math.exp(-x / 500) - 0.02 * r() }));
  const test = steps.filter((_, i) => i % 6 === 0).map((x) => ({ x, y: 0.97 - 0.85 * Math.exp(-x / 520) }));
  const history = steps.map((x) => ({
    step: x,
    flops: 3.2e6 * (0.55 + 0.45 * Math.exp(-x / 900)),
    params: 2.3e4 * (0.7 + 0.3 * Math.exp(-x / 1100)),
  }));
  return { loss, reg, train, test, history };
}

export function previewScenes(): Record<string, ReactElement> {
  const c = curves();
  const last = c.history.at(-1) ?? { flops: 0, params: 0 };
  const gammas = {
    stem: bimodalGammas(16, 0.4, 1),
    's1b1/conv1': bimodalGammas(16, 0.7, 2),
    'group 1 (stage 1)': bimodalGammas(16, 0.3, 3),
    's2b1/conv1': bimodalGammas(32, 0.2, 4),
    'group 2 (stage 2)': bimodalGammas(32, 0.1, 5),
    's2b2/conv1': bimodalGammas(32, 0.3, 6),
  };
  return {
    structure: (
      <div className="row">
        <StructureDiagram
          spec={resnetSpec}
          title="Seed"
          width={340}
          height={560}
          maxChannels={32}
          layerCosts={costs}
        />
        <StructureDiagram
          spec={resnetSpec}
          alive={flopsAlive}
          title="FLOPs-targeted"
          width={340}
          height={560}
          maxChannels={32}
        />
        <StructureDiagram
          spec={resnetSpec}
          alive={sizeAlive}
          title="Size-targeted"
          width={340}
          height={560}
          maxChannels={32}
        />
      </div>
    ),
    inception: (
      <div className="row">
        <StructureDiagram
          spec={inceptionSpec}
          alive={{ 'mix/b3a': 0, 'mix/b3b': 0, 'mix/b2b': 7, head: 30 }}
          title="Inception-like"
          width={420}
          height={420}
        />
        <StructureDiagram
          spec={resnetSpec}
          alive={sizeAlive}
          seedWidths={{ 's2b1/conv1': 24 }}
          title="Narrow (240 px)"
          width={240}
          height={420}
        />
      </div>
    ),
    panels: (
      <div className="row">
        <GammaHistograms gammas={gammas} threshold={1e-2} onThresholdChange={() => {}} />
        <div style={{ display: 'grid', gap: 24 }}>
          <CostPanel
            flops={last.flops}
            params={last.params}
            seedFlops={3.2e6}
            seedParams={2.3e4}
            history={c.history}
          />
          <Curves
            title="Loss"
            series={[
              { name: 'task loss', points: c.loss },
              { name: 'regularizer', points: c.reg },
            ]}
          />
          <Curves
            title="Accuracy"
            yDomain={[0, 1]}
            series={[
              { name: 'train', points: c.train },
              { name: 'test', points: c.test },
            ]}
          />
        </div>
      </div>
    ),
  };
}
