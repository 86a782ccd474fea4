// seed → learned → expanded ×1 → learned → expanded ×2 …: where this run is in MorphNet's loop.
import type { Cost } from '../protocol/messages.ts';
import { useStudio } from '../state/store.ts';
import { formatAccuracy, formatCount } from './format.ts';

interface Stop {
  key: string;
  label: string;
  detail: string;
  current: boolean;
}

export function CycleTrail() {
  const cycle = useStudio((s) => s.cycle);
  const history = useStudio((s) => s.history);
  const seedCost = useStudio((s) => s.seedCost);
  const target = useStudio((s) => s.settings.target);
  const unit = (c: Cost) =>
    target === 'flops' ? `${formatCount(c.flops)} FLOPs` : `${formatCount(c.params)} params`;
  const stops: Stop[] = [
    { key: 'seed', label: 'Seed', detail: seedCost ? unit(seedCost) : '', current: cycle === 0 },
  ];
  for (const h of history) {
    const accuracy = h.testAccuracy === null ? '' : ` · ${formatAccuracy(h.testAccuracy)} test`;
    stops.push({
      key: `l${h.cycle}`,
      label: `Learned (${h.steps} steps)`,
      detail: `${unit(h.cost)}${accuracy}`,
      current: false,
    });
    stops.push({
      key: `e${h.cycle}`,
      label: `Expanded ×${h.cycle + 1}`,
      detail: '',
      current: h.cycle + 1 === cycle,
    });
  }
  return (
    <nav
      className="cycle-trail"
      aria-label="Cycle"
      title="MorphNet's loop: shrink the seed, expand what was learned back to the budget, retrain; repeat"
    >
      <span className="cycle-now" data-testid="cycle">
        {cycle === 0 ? 'Cycle 0' : `Cycle ${cycle} (×${cycle})`}
      </span>
      <ol>
        {stops.map((s) => (
          <li
            key={s.key}
            className={s.current ? 'current' : ''}
            aria-current={s.current ? 'step' : undefined}
          >
            {s.label}
            {s.current && <span className="sr-note"> (training now)</span>}
            {s.detail && <small>{s.detail}</small>}
          </li>
        ))}
      </ol>
    </nav>
  );
}
