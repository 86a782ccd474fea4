// `morphnet expand`: the largest width multiplier ω that fits the budget (MORPHNET.md §1.3).
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSeedName } from '../morphnet/seeds.ts';
import { networkCost, targetCost } from '../morphnet/cost.ts';
import { expandSpec } from '../morphnet/expand.ts';
import { formatSpec } from '../morphnet/spec.ts';
import { parseCommandArgs, parsePositive, parseTarget, required } from './args.ts';
import { UsageError } from './errors.ts';
import { percent, sanitize, thousands } from './format.ts';
import { checkWritable, loadAlive, loadSpec, writeText } from './io.ts';
import { describeLatency, duration, LATENCY_OPTIONS, parseLatency } from './latency-flags.ts';

/** The file `path` names, links followed, so `./a`, `a` and a link to `a` compare equal. */
const real = (path: string) => (existsSync(path) ? realpathSync(path) : resolve(path));

export async function runExpand(argv: string[]): Promise<number> {
  const values = parseCommandArgs('expand', argv, {
    spec: { type: 'string' },
    alive: { type: 'string' },
    target: { type: 'string' },
    budget: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    ...LATENCY_OPTIONS,
  });
  const specArg = required('expand', 'spec', values.spec);
  const aliveArg = required('expand', 'alive', values.alive);
  const target = parseTarget('expand', values.target);
  const latency = parseLatency('expand', values, target);
  const out = required('expand', 'out', values.out);
  const budgetFlag = values.budget === undefined ? undefined : parsePositive('expand', 'budget', values.budget);
  // The output must never replace an input, --force or not: that would lose the input.
  for (const [flag, input] of [['--spec', isSeedName(specArg) ? null : specArg], ['--alive', aliveArg]] as const) {
    if (input !== null && real(input) === real(out)) {
      throw new UsageError(`expand: --out "${out}" is the ${flag} input; write the expanded spec to another file`);
    }
  }
  if (existsSync(out) && values.force !== true) {
    throw new UsageError(`expand: "${out}" already exists; give --force to replace it, or choose another --out`);
  }
  checkWritable('expand', out, 'expanded spec');
  const spec = loadSpec(specArg);
  const alive = loadAlive(aliveArg, spec);
  const counts = Object.values(alive);
  if (counts.length > 0 && counts.every((n) => n === 0)) {
    throw new UsageError(
      `expand: every layer in "${aliveArg}" has 0 alive channels (a diverged run, or too high a strength); nothing to expand`,
    );
  }
  const seedCost = targetCost(networkCost(spec, undefined, latency), target);
  const budget = budgetFlag ?? seedCost;
  const result = expandSpec(spec, alive, { target, budget, ...(latency === undefined ? {} : { latency }) });
  writeText(out, formatSpec(result.spec), 'expanded spec');

  const latencyNs = latency === undefined ? undefined : networkCost(result.spec, undefined, latency).latencyNs;
  const used = target === 'latency' ? latencyNs! : targetCost(result.cost, target);
  // A latency budget is in ns, the reference's units; said in a readable unit beside them.
  const shownBudget = target === 'latency' ? `${thousands(budget)} ns = ${duration(budget)}` : thousands(budget);
  const removed = Object.entries(result.widths)
    .filter(([, w]) => w === 0)
    .map(([name]) => name);
  const lines = [
    `ω = ${result.omega.toFixed(4)} (${target} budget ${shownBudget}${values.budget === undefined ? ", the seed's cost" : ''})`,
    `FLOPs ${thousands(result.cost.flops)}, params ${thousands(result.cost.params)}` +
      `${latencyNs === undefined ? '' : `, latency ${duration(latencyNs)} on ${describeLatency(latency!)}`} (${percent(used, budget)} of the budget)`,
    ...(removed.length > 0 ? [`removed: ${removed.join(', ')}`] : []),
    `wrote ${out}`,
  ];
  process.stdout.write(`${lines.map(sanitize).join('\n')}\n`);
  return 0;
}
