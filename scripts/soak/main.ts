// `npm run soak`: long runs in Node and in the page, every memory series held to a bound
// (issue 9, "Long runs"); rewrites docs/RELIABILITY.md from scratch.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { format, resolveConfig } from 'prettier';
import { chromiumPath } from '../bench/browser.ts';
import { buildAndServe } from '../bench/serve.ts';
import { runBrowserSoak } from './browser.ts';
import { runNodeSoak } from './node.ts';
import { mergeRuns, renderReliability, type BadInput, type SoakPart, type SoakRun } from './report.ts';

const HELP = `npm run soak [-- flags]   long runs in Node and in the page; rewrite docs/RELIABILITY.md

  --quick          about a minute: 400 steps in Node, 60 in the page
  --node-only      only the Node part (no Chromium needed)
  --browser-only   only the page part
  --out FILE       where to write (default docs/RELIABILITY.md)
  --from FILE      rewrite the report from a run's saved samples (runs/soak/<date>.json), training
                   nothing; repeat it to put parts of several runs in one report
  --help           this text

Full run: 5,000 steps in Node and 500 in the page, 37.5 min on 2 cores shared with other work
(Node 22.6, page 14.8); --quick took 1.3 min with the cores to itself, 4.2 min shared.
Chromium: /usr/bin/chromium or CHROMIUM_PATH.`;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BAD_INPUTS = join(ROOT, 'src', 'cli', 'bad-input.cases.ts');

function isBadInput(v: unknown): v is BadInput {
  const c = v as Partial<BadInput> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    (typeof c.args === 'string' || Array.isArray(c.args)) &&
    typeof c.message === 'string' &&
    typeof c.code === 'number'
  );
}

/** The command-line cases, if that file exists yet: its first exported array of {args, message, code}. */
async function loadBadInputs(): Promise<BadInput[] | null> {
  if (!existsSync(BAD_INPUTS)) return null;
  const mod = (await import(pathToFileURL(BAD_INPUTS).href)) as Record<string, unknown>;
  for (const value of Object.values(mod)) {
    if (Array.isArray(value) && value.length > 0 && value.every(isBadInput)) return value;
  }
  throw new Error(`${relative(ROOT, BAD_INPUTS)} exports no array of {args, message, code}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'node-only': { type: 'boolean', default: false },
      'browser-only': { type: 'boolean', default: false },
      out: { type: 'string', default: join(ROOT, 'docs', 'RELIABILITY.md') },
      from: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (values.from !== undefined) {
    const runs = values.from.map((f) => JSON.parse(readFileSync(f, 'utf8')) as SoakRun);
    await writeReport(mergeRuns(runs), values.out);
    return;
  }
  if (values['node-only'] && values['browser-only'])
    throw new Error('--node-only and --browser-only exclude each other');
  const quick = values.quick;
  if (!values['node-only']) chromiumPath(); // fail before minutes of Node work, not after
  const start = performance.now();
  const log = (msg: string) =>
    console.log(`[${((performance.now() - start) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
  const parts: SoakPart[] = [];
  if (!values['browser-only']) {
    const steps = quick ? 400 : 5000;
    log(`node: ${steps} steps`);
    parts.push(
      await runNodeSoak({ steps, sampleEvery: quick ? 20 : 100, evalEvery: quick ? 100 : 500, log }),
    );
  }
  let chromium: string | null = null;
  if (!values['node-only']) {
    log('page: vite build into a temp folder, vite preview');
    const served = await buildAndServe(ROOT, null);
    try {
      const steps = quick ? 60 : 500;
      const { part, version } = await runBrowserSoak({
        base: served.url,
        steps,
        warmupStep: quick ? 15 : 100,
        sampleMs: quick ? 2000 : 5000,
        log,
      });
      parts.push(part);
      chromium = version;
    } finally {
      served.close();
    }
  }
  const cpus = os.cpus();
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  const args = process.argv.slice(2);
  const run: SoakRun = {
    machine: {
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      command: `npm run soak${args.length ? ` -- ${args.join(' ')}` : ''}`,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      memory: `${gib(os.totalmem())} total`,
      os: `${os.type()} ${os.release()} (${os.arch()})`,
      node: process.version,
      tfjs: tf.version_core,
      chromium,
      durationS: (performance.now() - start) / 1000,
    },
    quick,
    note: quick
      ? 'From the quick version (`--quick`: 400 steps in Node, 60 in the page), not the full soak of 5,000 and 500 steps.'
      : null,
    parts,
  };
  // The samples are kept, so the report can be rewritten (--from) without hours of training.
  const dir = join(ROOT, 'runs', 'soak');
  mkdirSync(dir, { recursive: true });
  const saved = join(
    dir,
    `${run.machine.date.replace(/[ :]/g, '-').replace(/-UTC$/, '')}${quick ? '-quick' : ''}.json`,
  );
  writeFileSync(saved, JSON.stringify(run));
  log(`samples in ${relative(process.cwd(), saved)}`);
  await writeReport(run, values.out);
  log(`wrote ${relative(process.cwd(), values.out)}`);
}

async function writeReport(run: SoakRun, out: string): Promise<void> {
  // Formatted as `prettier --check` expects, so the generated file passes the repo's checks.
  const config = (await resolveConfig(out)) ?? {};
  writeFileSync(
    out,
    await format(renderReliability(run, await loadBadInputs()), { ...config, parser: 'markdown' }),
  );
}

main().catch((err: unknown) => {
  const line = err instanceof Error ? err.message.split('\n')[0] : String(err);
  console.error(`npm run soak: ${line} (see npm run soak -- --help)`);
  process.exit(1);
});
