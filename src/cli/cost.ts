// `morphnet cost`: FLOPs and parameters per layer and in total (MORPHNET.md §2).
import { networkCost } from '../morphnet/cost.ts';
import { parseCommandArgs, required } from './args.ts';
import { percent, sanitize, table, thousands } from './format.ts';
import { loadAlive, loadSpec } from './io.ts';

export async function runCost(argv: string[]): Promise<number> {
  const values = parseCommandArgs('cost', argv, {
    spec: { type: 'string' },
    alive: { type: 'string' },
    json: { type: 'boolean' },
  });
  const spec = loadSpec(required('cost', 'spec', values.spec));
  const alive = values.alive === undefined ? undefined : loadAlive(values.alive, spec);
  const cost = networkCost(spec, alive);
  if (values.json === true) {
    const layers = cost.layers.map((l) => ({ name: l.name, flops: l.flops, params: l.params }));
    process.stdout.write(`${JSON.stringify({ layers, flops: cost.flops, params: cost.params })}\n`);
    return 0;
  }
  const types = new Map(spec.layers.map((l) => [l.name, l.type]));
  const rows = cost.layers.map((l) => [
    sanitize(l.name),
    types.get(l.name) ?? '',
    thousands(l.flops),
    percent(l.flops, cost.flops),
    thousands(l.params),
    percent(l.params, cost.params),
  ]);
  rows.push(['total', '', thousands(cost.flops), '100%', thousands(cost.params), '100%']);
  const source = values.alive === undefined ? 'every channel alive' : `alive counts from ${values.alive}`;
  process.stdout.write(
    `${sanitize(`${spec.name} (${source})`)}\n${table(['layer', 'type', 'FLOPs', '', 'params', ''], rows)}\n`,
  );
  return 0;
}
