// The teaching text: short enough to read beside the live charts, exact enough to trust.
export function Explanation() {
  return (
    <section className="explanation card" aria-labelledby="how-title">
      <h2 id="how-title">What you are watching</h2>
      <div className="explanation-grid">
        <div>
          <h3>γ, the batch-norm scale</h3>
          <p>
            Each convolution here is followed by batch norm, which multiplies every channel by a learned scale
            γ. A channel whose γ reaches zero outputs a constant: it can be cut out without changing what the
            network computes. The histograms show |γ| per layer on a log axis; channels at or below the
            threshold count as dead.
          </p>
        </div>
        <div>
          <h3>A penalty priced by cost</h3>
          <p>
            MorphNet trains on <em>task loss + strength × R(γ)</em>, where R sums each channel&apos;s |γ|
            times what that channel costs. Gradient descent then pulls hardest on the channels that are
            expensive and not worth it, and their γ collapse.
          </p>
        </div>
        <div>
          <h3>FLOPs and size thin different layers</h3>
          <p>
            A channel&apos;s FLOPs grow with the resolution of its feature map, so targeting{' '}
            <strong>FLOPs</strong> thins the early, high-resolution layers. Its parameters depend only on
            kernel size and its neighbours&apos; widths, so targeting <strong>model size</strong> thins the
            late, wide layers. Switch the target mid-run and watch the pressure move.
          </p>
        </div>
        <div>
          <h3>Expand, then retrain</h3>
          <p>
            The shrunk network is cheaper but usually less accurate. <strong>Expand</strong> multiplies every
            surviving width by one factor ω, the largest whose cost fits the budget (the seed&apos;s own cost
            by default), and retrains from scratch: the same cost as the seed, spent where training showed it
            helps. Repeat for a second cycle (×2).
          </p>
        </div>
      </div>
      <p className="muted small">
        Keyboard: <kbd>Space</kbd> train or pause, <kbd>S</kbd> one step, <kbd>E</kbd> expand. Method: Gordon
        et al., <a href="https://arxiv.org/abs/1711.06798">MorphNet</a>, CVPR 2018.
      </p>
    </section>
  );
}
