// docs/RELIABILITY.md from one soak run's samples. Every verdict is computed here from the
// samples (judge.ts), so the document cannot say "flat" about numbers that are not.
import type { MachineInfo } from '../bench/report.ts';
import { amount, boundText, judge, type Judgement, type Sample, type SeriesInfo } from './judge.ts';

export type SoakMachine = MachineInfo;

export interface SoakPart {
  label: string;
  /** What trained, in words: network, dataset, batch, backend. */
  setup: string;
  /** Steps asked for, and the last step reached. */
  steps: number;
  reached: number;
  warmupStep: number;
  /** How the samples were taken, in words. */
  sampling: string;
  series: SeriesInfo[];
  samples: Sample[];
  durationS: number;
  /** Set when the part stopped early; its samples so far are still judged. */
  error: string | null;
  /** What happened during the run that a series may answer to, in words (the page's evaluations). */
  events?: string[];
}

export interface SoakRun {
  machine: SoakMachine;
  quick: boolean;
  /** A sentence on why this document comes from the quick version, when it does. */
  note: string | null;
  parts: SoakPart[];
}

/**
 * Several saved runs as one report (`--from A --from B`): a part measured again on its own,
 * beside the parts of an earlier run. The machine row names each run's command, parts and date.
 */
export function mergeRuns(runs: readonly SoakRun[]): SoakRun {
  const last = runs.at(-1);
  if (last === undefined) throw new Error('no runs to merge');
  if (runs.length === 1) return last;
  const notes = runs.map((r) => r.note).filter((n): n is string => n !== null);
  return {
    machine: {
      ...last.machine,
      command: runs
        .map((r) => `\`${r.machine.command}\` (${r.parts.map((p) => p.label).join(', ')}; ${r.machine.date})`)
        .join(' + '),
      chromium: runs.map((r) => r.machine.chromium).findLast((c) => c !== null) ?? null,
      durationS: runs.reduce((t, r) => t + r.machine.durationS, 0),
    },
    quick: runs.some((r) => r.quick),
    note: notes.length ? notes.join(' ') : null,
    parts: runs.flatMap((r) => r.parts),
  };
}

/** One bad command line and what it gets (src/cli/bad-input.cases.ts, written by another change). */
export interface BadInput {
  /** What is being tried, in words. */
  what?: string;
  args: readonly string[] | string;
  message: string;
  code: number;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const steps = (n: number) => n.toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** About `count` samples spread evenly over the run, the first and the last always included. */
export function spread(samples: readonly Sample[], count: number): Sample[] {
  if (samples.length <= count) return [...samples];
  const picked = new Set<number>();
  for (let i = 0; i < count; i++) picked.add(Math.round((i * (samples.length - 1)) / (count - 1)));
  return [...picked].sort((a, b) => a - b).map((i) => samples[i] as Sample);
}

function partSection(p: SoakPart): { text: string; judgements: Judgement[] } {
  const judgements = p.series.map((s) => judge(p.samples, p.warmupStep, s));
  const fig = (j: Judgement, s: Sample | null) =>
    s === null ? '–' : `${amount(j.series.unit, s.values[j.series.key] as number)} (step ${steps(s.step)})`;
  const rows = judgements.map((j) => [
    j.series.label,
    fig(j, j.base),
    fig(j, j.last),
    Number.isFinite(j.max) ? amount(j.series.unit, j.max) : '–',
    boundText(j.series),
    `${verdict(j.ok)}: ${j.reason}`,
  ]);
  const shown = spread(p.samples, 9);
  const trail = table(
    ['step', 's', ...p.series.map((s) => s.label)],
    shown.map((s) => [
      steps(s.step),
      s.t.toFixed(0),
      ...p.series.map((x) => (x.key in s.values ? amount(x.unit, s.values[x.key] as number) : '–')),
    ]),
  );
  const lines = [
    `## ${p.label}`,
    '',
    `${p.setup}: ${steps(p.reached)} of ${steps(p.steps)} steps in ${(p.durationS / 60).toFixed(1)} min, ` +
      `${p.samples.length} samples (${p.sampling}); warm-up ends at step ${steps(p.warmupStep)}.`,
    ...(p.error === null ? [] : ['', `**Stopped early:** ${p.error}`]),
    ...(p.events?.length ? ['', `During the run: ${p.events.join('; ')}.`] : []),
    '',
    table(['series', 'at warm-up', 'last', 'max after warm-up', 'bound', 'verdict'], rows),
    '',
    'Samples spread over the run:',
    '',
    trail,
  ];
  return { text: lines.join('\n'), judgements };
}

/** An argument as a person would type it in a shell; control characters shown as \\xNN, never raw. */
export function shellArg(arg: string): string {
  const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  // eslint-disable-next-line no-control-regex
  const visible = arg.replace(/[\x00-\x1f\x7f]/g, hex);
  return /^[\w./:=@%+,-]+$/.test(visible) ? visible : `'${visible.replace(/'/g, `'\\''`)}'`;
}

/** Inline code that a backtick inside cannot end early. */
const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

function badInputSection(cases: readonly BadInput[] | null): string {
  const head = '## Bad inputs tried';
  if (cases === null) {
    return `${head}\n\nNot filled in yet: src/cli/bad-input.cases.ts, the table-driven command-line cases, did not exist when this report was written.`;
  }
  const rows = cases.map((c) => [
    c.what ?? '',
    code(`morphnet ${typeof c.args === 'string' ? c.args : c.args.map(shellArg).join(' ')}`),
    String(c.code),
    c.message,
  ]);
  return [
    head,
    '',
    `${cases.length} command lines from src/cli/bad-input.cases.ts (its test asserts each message and exit code), with what each gets:`,
    '',
    table(['tried', 'command', 'exit', 'message'], rows),
  ].join('\n');
}

export function renderReliability(run: SoakRun, badInputs: readonly BadInput[] | null): string {
  const m = run.machine;
  const parts = run.parts.map(partSection);
  const all = parts.flatMap((p) => p.judgements);
  const failed = all.filter((j) => !j.ok).length;
  const stopped = run.parts.filter((p) => p.error !== null).length;
  const summary =
    failed === 0 && stopped === 0
      ? `Every series (${all.length}) stays within its bound.`
      : `${failed} of ${all.length} series break their bound${stopped ? `; ${stopped} part(s) stopped early` : ''}.`;
  return [
    '# Reliability: long runs',
    '',
    'Written by `npm run soak` (scripts/soak/); do not edit by hand. It trains for a long time in Node and in the page and samples ' +
      '`tf.memory()` (tensors and bytes), the backend’s own memory (the wasm heap in Node, GPU bytes on WebGL) and the JS heap ' +
      '(after a forced garbage collection), then holds each series to a stated bound.',
    '',
    'The bounds: Node is sampled between steps, when nothing is in flight, so its tensors, bytes and wasm heap must stay ' +
      'exactly as they were after warm-up (one leaked tensor shows). The page is sampled while its worker trains, so a ' +
      'reading may catch a step’s own tensors alive: there the largest value of the last third of the samples may not ' +
      'exceed the largest of the first third. A JS heap may wander with what the collector keeps: within +20 MB of warm-up.',
    '',
    ...(run.note === null ? [] : [`**${run.note}**`, '']),
    `**${summary}**`,
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        // A merged run's command is already written as code, one span per run.
        ['command', m.command.includes('`') ? m.command : `\`${m.command}\``],
        ['date', m.date],
        ['CPU', `${m.cpu}, ${m.cores} cores`],
        ['memory', m.memory],
        ['OS', m.os],
        ['Node', m.node],
        ['tfjs', m.tfjs],
        ['Chromium', m.chromium ?? 'not run'],
        ['duration', `${(m.durationS / 60).toFixed(1)} min`],
      ],
    ),
    '',
    ...parts.flatMap((p) => [p.text, '']),
    badInputSection(badInputs),
    '',
  ].join('\n');
}
