import { describe, expect, it } from 'vitest';
import { DEFAULT_PACING, Pacing } from './pacing.ts';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Pacing', () => {
  it('reads back about every 250 ms of training: each step on a slow device, every 50 on a fast one', () => {
    const c = clock();
    const p = new Pacing(DEFAULT_PACING, c.now);
    p.restart();
    c.advance(2000);
    p.recordChunk(0, 1);
    expect(p.readEvery).toBe(1);
    const t0 = c.now();
    c.advance(50);
    p.recordChunk(t0, 10);
    expect(p.readEvery).toBe(50);
  });

  it('evaluates at most a tenth of the time, and on pause only when cheap', () => {
    const c = clock();
    const p = new Pacing(DEFAULT_PACING, c.now);
    p.restart();
    // SwiftShader-like: 2 s per step of batch 4 → a guessed 73 s evaluation of 400 test
    // examples plus 10 calibration batches of 4.
    for (let i = 0; i < 3; i++) {
      const t0 = c.now();
      c.advance(2000);
      p.recordChunk(t0, 1);
    }
    expect(p.expectedEvalMs(4)).toBeCloseTo(73_333, -2);
    expect(p.evalOnPause(3, 4)).toBe(false);
    expect(p.evalDue(4)).toBe(false);
    c.advance(720_000);
    expect(p.evalDue(4)).toBe(false);
    c.advance(20_000);
    expect(p.evalDue(4)).toBe(true);
    // A GPU-like step: 5 ms for batch 32 → evaluation in ~21 ms, due every 10 s, fine on pause.
    const q = new Pacing(DEFAULT_PACING, c.now);
    q.restart();
    for (let i = 0; i < 3; i++) {
      const t0 = c.now();
      c.advance(250);
      q.recordChunk(t0, 50);
    }
    expect(q.evalOnPause(150, 32)).toBe(true);
    expect(q.evalOnPause(0, 32)).toBe(false);
    expect(q.evalDue(32)).toBe(false);
    c.advance(10_000);
    expect(q.evalDue(32)).toBe(true);
    q.recordEval(c.now(), 150);
    expect(q.evalOnPause(150, 32)).toBe(false);
  });
});
