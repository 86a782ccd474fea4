// A latency sweep (`morphnet sweep --target latency --hardware T4`, issue 13) reads on the page:
// its device and every latencyNs are checked against networkLatency on that device.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sweepMessage } from './testing/sweep-message.ts';
import { networkLatency, referenceHardware } from './latency.ts';
import { validateSweep } from './sweep-validate.ts';
import type { AliveCounts, LatencySettings, NetworkSpec } from './types.ts';

const text = readFileSync(new URL('../../e2e/fixtures/tradeoff/plain-cnn-shapes.json', import.meta.url), 'utf8');
type Raw = Record<string, unknown> & {
  settings: Record<string, unknown>;
  seed: Record<string, unknown>;
  points: (Record<string, unknown> & { settings: Record<string, unknown>; learned?: Record<string, unknown> })[];
};
const T4: LatencySettings = { hardware: referenceHardware('T4')!, batch: 1 };
const ns = (spec: unknown, alive?: unknown) =>
  networkLatency(spec as NetworkSpec, alive as AliveCounts | undefined, T4).latencyNs;

/** The real file turned into a latency sweep on the T4, with every latencyNs as the CLI writes it. */
function latencySweep(): Raw {
  const f = JSON.parse(text) as Raw;
  f.settings.target = 'latency';
  f.settings.latency = structuredClone(T4);
  f.seed.latencyNs = ns(f.seed.spec);
  for (const p of f.points) {
    p.latencyNs = ns(p.spec);
    if (p.settings.family === 'morphnet') p.settings.target = 'latency';
    if (p.learned) p.learned.latencyNs = ns(f.seed.spec, p.alive);
  }
  return f;
}

const message = sweepMessage;

describe('validateSweep: a latency sweep', () => {
  it('reads the device and every latencyNs', () => {
    const raw = latencySweep();
    const f = validateSweep(raw, 'sweep.json');
    expect(f.settings.target).toBe('latency');
    expect(f.settings.latency).toEqual({ hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 1 });
    expect(f.seed.latencyNs).toBe(raw.seed.latencyNs);
    expect(f.points.map((p) => p.latencyNs)).toEqual(raw.points.map((p) => p.latencyNs));
    // A learned structure is priced as the seed at its alive counts: thinner, so faster.
    const learned = f.points.filter((p) => p.learned !== undefined).map((p) => p.learned!.latencyNs!);
    expect(learned).toEqual(raw.points.filter((p) => p.learned).map((p) => p.learned!.latencyNs));
    expect(Math.min(...learned)).toBeLessThan(f.seed.latencyNs!);
  });

  it('refuses a point placed off its own network on the latency axis', () => {
    const raw = latencySweep();
    const p = raw.points[1]!;
    const right = p.latencyNs as number;
    p.latencyNs = right / 2;
    expect(message(raw)).toBe(
      `sweep.json: points[1] (${p.label as string}): latencyNs: is ${right / 2} ns, but the network in its spec takes ${right} ns on T4`,
    );
  });

  it('refuses a latency target or latencyNs with no device, and a device with a bad rate', () => {
    const noDevice = latencySweep();
    delete noDevice.settings.latency;
    expect(message(noDevice)).toBe(
      'sweep.json: settings.target: is latency, but settings.latency names no device it was priced on',
    );
    const flopsWithNs = latencySweep();
    delete flopsWithNs.settings.latency;
    flopsWithNs.settings.target = 'flops';
    for (const p of flopsWithNs.points) if (p.settings.family === 'morphnet') p.settings.target = 'flops';
    expect(message(flopsWithNs)).toMatch(/^sweep\.json: points\[0\] \(.*\): latencyNs: is given, but settings\.latency names no device it was priced on$/);
    const bad = latencySweep();
    (bad.settings.latency as { hardware: Record<string, unknown> }).hardware.bandwidthGbs = -300;
    expect(message(bad)).toMatch(/^sweep\.json: settings\.latency\.hardware\.bandwidthGbs: /);
    const batch = latencySweep();
    (batch.settings.latency as Record<string, unknown>).batch = 513;
    expect(message(batch)).toMatch(/^sweep\.json: settings\.latency\.batch: /);
  });

  it('reads a file without latency as before', () => {
    const f = validateSweep(JSON.parse(text), 'sweep.json');
    expect(f.settings.latency).toBeUndefined();
    expect(f.seed.latencyNs).toBeUndefined();
    expect(f.points.every((p) => p.latencyNs === undefined)).toBe(true);
  });
});
