// `morphnet expand`: the largest width multiplier ω that fits the budget (MORPHNET.md §1.3).
import { networkCost, targetCost } from '../morphnet/cost.ts';
import { expandSpec } from '../morphnet/expand.ts';
import { formatSpec } from '../morphnet/spec.ts';
import { parseCommandArgs, parsePositive, parseTarget, required } from './args.ts';
import { percent, thousands } from './format.ts';
import { loadAlive, loadSpec, writeText } from './io.ts';

export async function runExpand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('expand', argv, {
    spec: { type: 'string' },
    alive: { type: 'string' },
    target: { type: 'string' },
    budget: { type: 'string' },
    out: { type: 'string' },
  });
  const spec = loadSpec(required('expand', 'spec', values.spec));
  const alive = loadAlive(required('expand', 'alive', values.alive), spec);
  const target = parseTarget('expand', values.target);
  const out = required('expand', 'out', values.out);
  const seedCost = targetCost(networkCost(spec), target);
  const budget = values.budget === undefined ? seedCost : parsePositive('expand', 'budget', values.budget);
  const result = expandSpec(spec, alive, { target, budget });
  writeText(out, formatSpec(result.spec), 'expanded spec');

  const used = targetCost(result.cost, target);
  const removed = Object.entries(result.widths)
    .filter(([, w]) => w === 0)
    .map(([name]) => name);
  const lines = [
    `ω = ${result.omega.toFixed(4)} (${target} budget ${thousands(budget)}${values.budget === undefined ? ", the seed's cost" : ''})`,
    `FLOPs ${thousands(result.cost.flops)}, params ${thousands(result.cost.params)} (${percent(used, budget)} of the budget)`,
    ...(removed.length > 0 ? [`removed: ${removed.join(', ')}`] : []),
    `wrote ${out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
