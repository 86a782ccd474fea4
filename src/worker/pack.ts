// A Metrics readback as the event the page receives: every |γ| vector laid end to end in one
// fresh Float32Array whose buffer is transferred, not cloned.
import type { Metrics } from '../engine/types.ts';
import type { ChunkTiming, MetricsEvent } from '../protocol/messages.ts';

export function metricsEvent(
  m: Metrics,
  stepMs: number,
  chunk?: ChunkTiming,
): { event: MetricsEvent; transfer: Transferable[] } {
  const gammaLayers = Object.keys(m.gammas);
  const gammaSizes = gammaLayers.map((k) => m.gammas[k]!.length);
  // One copy into a fresh buffer: the engine's arrays may be tfjs's cache (BROWSER.md), which
  // must not be detached by the transfer.
  const gammas = new Float32Array(gammaSizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  for (const k of gammaLayers) {
    gammas.set(m.gammas[k]!, offset);
    offset += m.gammas[k]!.length;
  }
  const event: MetricsEvent = {
    type: 'metrics',
    step: m.step,
    taskLoss: m.taskLoss,
    regLoss: m.regLoss,
    regValue: m.regValue,
    trainAccuracy: m.trainAccuracy,
    gammaLayers,
    gammaSizes,
    gammas,
    alive: m.alive,
    cost: { flops: m.flops, params: m.params },
    stepMs,
    ...(chunk ? { chunk } : {}),
  };
  return { event, transfer: [gammas.buffer] };
}
