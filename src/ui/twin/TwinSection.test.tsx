// The twin section rendered from a finished twin's store: the controls' names, the three
// diagrams at one scale, the table in the diagrams' order and the computed reading.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { seedSpec } from '../../morphnet/seeds.ts';
import { emptyTwinRun, useTwin } from '../../state/twin/store.ts';
import { TwinView } from './TwinSection.tsx';

const seed = seedSpec('plain-cnn');

describe('TwinSection', () => {
  it('renders only the controls and the explanation before a twin starts', () => {
    useTwin.setState({ phase: 'idle', message: null });
    const html = renderToStaticMarkup(<TwinView twin={useTwin.getState()} pageSeed={null} />);
    expect(html).toContain('>Twin run</button>');
    expect(html).toContain('aria-label="Twin steps"');
    expect(html).not.toContain('<figure');
  });

  it('shows both runs, the diagrams at one scale, the table and the reading', () => {
    // Measured on SwiftShader by e2e/twin.spec.ts after 10 steps.
    const run = (target: 'flops' | 'size', alive: Record<string, number>) => ({
      ...emptyTwinRun(target),
      ready: true,
      step: 10,
      spec: seed,
      seedSpec: seed,
      alive,
      cost: { flops: 40, params: 50 },
      seedCost: { flops: 100, params: 100 },
      testAccuracy: target === 'flops' ? 0.5 : null,
    });
    useTwin.setState({
      phase: 'done',
      steps: 10,
      message: null,
      runs: {
        flops: run('flops', { conv1: 0, conv2: 0, conv3: 0, conv4: 0, conv5: 64, conv6: 64 }),
        size: run('size', { conv1: 16, conv2: 16, conv3: 32, conv4: 0, conv5: 0, conv6: 59 }),
        latency: emptyTwinRun('latency'),
      },
    });
    const html = renderToStaticMarkup(<TwinView twin={useTwin.getState()} pageSeed={null} />);
    for (const name of [
      'FLOPs run progress',
      'Size run progress',
      'Twin reading',
      'Alive fraction per layer',
    ])
      expect(html).toContain(`aria-label="${name}"`);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Pause twin<\/button>/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Stop twin<\/button>/);
    expect(html.match(/<figure/g)).toHaveLength(3);
    expect(html).toContain('FLOPs-targeted · step 10');
    // One scale: conv6 (64 wide) is drawn equally wide in the seed and in the FLOPs run.
    const widths = [...html.matchAll(/aria-label="conv6: (\d+)\/64 channels"><rect[^>]*width="([\d.]+)"/g)];
    expect(widths.map((m) => m[1])).toEqual(['64', '64', '59']);
    expect(widths[0]![2]).toBe(widths[1]![2]);
    // The table: output first, each run's share per layer.
    const rows = [...html.matchAll(/<th scope="row"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(rows).toEqual(['conv6', 'conv5', 'conv4', 'conv3', 'conv2', 'conv1']);
    expect(html).toContain('conv6: the size run keeps 92% of the seed&#x27;s channels');
    expect(html).toContain(
      'Early layers (conv1–conv2): FLOPs run keeps 0%, size run 100%. Late layers (conv5–conv6): FLOPs run keeps 100%, size run 46%.',
    );
    expect(html).toContain('test 50.0%');
  });

  it('names the pair chosen: size against latency, priced for the T4', () => {
    const t4 = { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 2 };
    const run = (target: 'size' | 'latency', alive: Record<string, number>) => ({
      ...emptyTwinRun(target),
      ready: true,
      step: 10,
      spec: seed,
      seedSpec: seed,
      alive,
      cost: { flops: 40, params: 50 },
      seedCost: { flops: 100, params: 100 },
      latencyNs: 300,
      seedLatencyNs: 1200,
      latency: target === 'latency' ? t4 : null,
    });
    useTwin.setState({
      phase: 'done',
      steps: 10,
      message: null,
      pair: ['size', 'latency'],
      shown: ['size', 'latency'],
      runs: {
        flops: emptyTwinRun('flops'),
        size: run('size', { conv1: 16, conv2: 16, conv3: 32, conv4: 0, conv5: 0, conv6: 59 }),
        latency: run('latency', { conv1: 0, conv2: 0, conv3: 0, conv4: 0, conv5: 64, conv6: 64 }),
      },
    });
    const html = renderToStaticMarkup(<TwinView twin={useTwin.getState()} pageSeed={null} />);
    expect(html).toContain('Twin run: model size against latency</h2>');
    expect(html).toContain('aria-label="Size run progress"');
    expect(html).toContain('aria-label="Latency run progress"');
    expect(html).not.toContain('FLOPs run progress');
    expect(html).toContain('Size-targeted · step 10');
    expect(html).toContain('Latency-targeted · step 10');
    expect(html).toMatch(
      /<th scope="col" class="twin-col-size"[^>]*>Size run<\/th><th scope="col" class="twin-col-latency"[^>]*>Latency run<\/th>/,
    );
    expect(html).toContain('priced for T4 (8,100 GFLOP/s, 300 GB/s), batch 2');
    expect(html).toMatch(/data-testid="twin-latency-latency"[^>]*>latency 25%</);
    expect(html).toContain('The latency run is the thinner one early, relative to the size run.');
    expect(html).not.toContain('is-pattern');
    expect(html).toMatch(/<option value="size-latency" selected="">model size against latency<\/option>/);
  });
});
