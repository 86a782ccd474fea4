// Dev-only interactive preview, bundled by interact.ts with esbuild: the components with real
// React state, so hover, focus, drag and keys can be exercised in Chromium.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GammaHistograms } from '../GammaHistograms.tsx';
import { StructureDiagram } from '../StructureDiagram.tsx';
import { bimodalGammas, resnetSpec } from '../test/fixtures.ts';

const gammas = {
  stem: bimodalGammas(16, 0.4, 1),
  's1b1/conv1': bimodalGammas(16, 0.7, 2),
  's2b1/conv1': bimodalGammas(32, 0.2, 4),
  's2b2/conv1': bimodalGammas(32, 0.3, 6),
};

function App() {
  const [threshold, setThreshold] = useState(1e-3);
  const [hovered, setHovered] = useState<string | null>(null);
  const alive = Object.fromEntries(
    Object.entries(gammas).map(([k, v]) => [k, Array.from(v).filter((g) => g > threshold).length]),
  );
  return (
    <div className="row">
      <StructureDiagram
        spec={resnetSpec}
        alive={alive}
        title="Live"
        width={340}
        height={560}
        onHover={setHovered}
        layerCosts={{ stem: { flops: 225792, params: 144 }, 's1b1/conv1': { flops: 3612672, params: 2304 } }}
      />
      <div style={{ width: 520 }}>
        <output id="threshold">{threshold}</output> <output id="hovered">{hovered ?? ''}</output>
        <GammaHistograms gammas={gammas} threshold={threshold} onThresholdChange={setThreshold} />
      </div>
    </div>
  );
}

const el = document.getElementById('root');
if (el) createRoot(el).render(<App />);
