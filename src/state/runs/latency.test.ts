// A latency run's record: the device and batch it priced for, kept as it trains and dropped when
// the target moves on; its predicted latency in the summary; the device's name in words.
import { describe, expect, it } from 'vitest';
import { networkLatency } from '../../morphnet/latency.ts';
import { initialLatency } from '../latency.ts';
import { useStudio, type Store } from '../store.ts';
import { seedSpec } from './fixture.test-util.ts';
import { hardwareName, predictedLatencyNs } from './latency.ts';
import { defaultRunName, summarizeRun } from './record.ts';
import { snapshotRun } from './recorder.ts';

const t4 = { hardware: { name: 'T4', peakGflops: 8100, bandwidthGbs: 300 }, batch: 4 };

function store(over: Partial<Store>): Store {
  return {
    ...useStudio.getState(),
    spec: seedSpec,
    seedSpec,
    seedCost: { flops: 1000, params: 100 },
    step: 5,
    alive: { conv1: 4, conv6: 10 },
    ...over,
  };
}

describe('a latency run’s record', () => {
  it('keeps the device and batch it trains against, and drops them when the target moves on', () => {
    const settings = { ...useStudio.getState().settings, target: 'latency' as const };
    const latency = { ...initialLatency.latency, priceFor: 'T4', batch: 4 };
    const first = snapshotRun(store({ settings, latency }), null)!;
    expect(first.latency).toEqual(t4);
    expect(first.name).toMatch(/ · latency · seed 1$/);
    // The person switches to FLOPs mid-run: the record no longer claims a latency device.
    const later = snapshotRun(store({ settings: { ...settings, target: 'flops' }, latency }), first)!;
    expect(later.settings.target).toBe('flops');
    expect('latency' in later).toBe(false);
    // "This device" before it is measured: nothing to record yet.
    const waiting = snapshotRun(store({ settings, latency: initialLatency.latency, device: null }), null)!;
    expect(waiting.latency).toBeUndefined();
  });

  it('shows its predicted latency at its alive counts in the summary', () => {
    const r = snapshotRun(
      store({
        settings: { ...useStudio.getState().settings, target: 'latency' },
        latency: { ...initialLatency.latency, priceFor: 'T4', batch: 4 },
      }),
      null,
    )!;
    const expected = networkLatency(seedSpec, { conv1: 4, conv6: 10 }, t4).latencyNs;
    expect(expected).toBeGreaterThan(0);
    expect(predictedLatencyNs(r)).toBe(expected);
    expect(summarizeRun(r)).toMatchObject({ latency: t4, latencyNs: expected });
    const { latency: _dropped, ...rest } = r;
    const flops = summarizeRun(rest);
    expect('latencyNs' in flops).toBe(false);
  });

  it('names the device in words', () => {
    expect(hardwareName(t4)).toBe('T4 (8,100 GFLOP/s, 300 GB/s)');
    expect(
      hardwareName({
        hardware: { name: 'this device', peakGflops: 31.6, bandwidthGbs: 18, opOverheadNs: 12000 },
        batch: 1,
      }),
    ).toBe('this device (31.6 GFLOP/s, 18 GB/s, 12 µs an op)');
    expect(defaultRunName({ ...useStudio.getState().settings, target: 'size' }, seedSpec)).toMatch(
      / · size · /,
    );
  });
});
