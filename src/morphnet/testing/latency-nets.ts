// Small networks and devices for the latency worked examples (latency*.test.ts). A device of
// 1 GFLOP/s and 1 GB/s makes ns equal FLOPs or bytes, so each op's two bounds read off directly.
import { validateSpec } from '../spec.ts';
import type { Hardware, LatencySettings, Layer, NetworkSpec } from '../types.ts';

export const unit: Hardware = { name: 'custom', peakGflops: 1, bandwidthGbs: 1 };

export const on = (hardware: Partial<Hardware> = {}, batch = 1): LatencySettings => ({
  hardware: { ...unit, ...hardware },
  batch,
});

/** A 4×4×2 image (64 bytes an activation channel), the given layers, then gap and a 2-class dense. */
export function net(name: string, layers: Layer[]): NetworkSpec {
  const last = layers[layers.length - 1] as Layer;
  return validateSpec(
    {
      name,
      input: { height: 4, width: 4, channels: 2 },
      classes: 2,
      layers: [
        ...layers,
        { name: 'pool', type: 'gap', from: last.name },
        { name: 'logits', type: 'dense', from: 'pool', units: 2 },
      ],
    },
    name,
  );
}

/**
 * One conv: 3×3, 3 filters, batch norm and ReLU.
 * conv: C = 2·4·4·9 = 288; FLOPs = 288·2·3 = 1,728; bytes = 64·2 (in) + 64·3 (out) + 9·4·2·3
 *       (weights) = 128 + 192 + 216 = 536.
 * bn and relu: 64·3 in + 64·3 out = 384 each.
 * dense: input flat, 4 bytes × 3; output 4 × 2; weights 4·3·2 = 24: bytes 12 + 8 + 24 = 44;
 *        FLOPs 2·3·2 = 12.
 */
export const oneConv = net('one-conv', [{ name: 'c1', type: 'conv', from: 'input', filters: 3, kernel: 3 }]);

/**
 * A 1×1 conv (2 filters) and a 3×3 depthwise with multiplier 2 on it: 4 channels, tied 2 by 2
 * to the conv's group (A_out = 2·A, S_out = 2·S).
 * pw: C = 2·16 = 32; FLOPs 32·2·2 = 128; bytes 128 + 128 + 4·4 = 272. bn, relu: 256 each.
 * dw: C = 2·16·9 = 288; FLOPs 288·4 = 1,152; bytes 64·2 + 64·4 + 36·4 (what it holds) = 528.
 *     bn, relu: 256 + 256 = 512 each.
 * dense: FLOPs 2·4·2 = 16; bytes 16 + 8 + 4·8 = 56.
 */
export const depthwise = net('depthwise', [
  { name: 'pw', type: 'conv', from: 'input', filters: 2, kernel: 1 },
  { name: 'dw', type: 'depthwise', from: 'pw', kernel: 3, multiplier: 2 },
]);

/**
 * A residual add of two 1×1 convs (2 filters each, one group), its ReLU on.
 * a: 272 + 256 + 256 = 784; b (no ReLU): 272 + 256 = 528; add: 128 + 128 in, 128 out = 384,
 * its ReLU 256: 640; dense: FLOPs 8, bytes 8 + 8 + 16 = 32. Total 1,984.
 */
export const residual = net('residual', [
  { name: 'a', type: 'conv', from: 'input', filters: 2, kernel: 1 },
  { name: 'b', type: 'conv', from: 'a', filters: 2, kernel: 1, relu: false },
  { name: 'add', type: 'add', from: ['a', 'b'] },
]);

/**
 * Two 1×1 towers (2 and 3 filters) concatenated: the concat reads what it writes, 64·5 + 64·5 = 640.
 * t1: FLOPs 32·2·2 = 128, bytes 128 + 128 + 16 = 272, +256 +256 = 784. t2: FLOPs 192, bytes
 * 128 + 192 + 24 = 344, +384 +384 = 1,112. dense: FLOPs 20, bytes 20 + 8 + 40 = 68. Total 2,604.
 */
export const towers = net('towers', [
  { name: 't1', type: 'conv', from: 'input', filters: 2, kernel: 1 },
  { name: 't2', type: 'conv', from: 'input', filters: 3, kernel: 1 },
  { name: 'cat', type: 'concat', from: ['t1', 't2'] },
]);
