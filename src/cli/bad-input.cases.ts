// The command line tried as a careless or hostile user would (issue 9): each case's arguments,
// the one line it must print on stderr, its exit code, and that it writes nothing. Run by
// bad-input.test.ts in a fresh directory holding FIXTURES; exported so a script can print the
// table into docs/RELIABILITY.md.

export interface BadInput {
  /** What is being tried, in words. */
  what: string;
  args: string[];
  /** The one line it prints, as printed (docs/RELIABILITY.md's table shows this). */
  message: string;
  /** The whole of stderr: `message` and a newline. */
  stderr: string;
  code: number;
}

const tinySpec = {
  name: 'tiny',
  input: { height: 32, width: 32, channels: 3 },
  classes: 6,
  layers: [
    { name: 'c1', type: 'conv', from: 'input', filters: 4, kernel: 3, stride: 2 },
    { name: 'c2', type: 'conv', from: 'c1', filters: 6, kernel: 3, stride: 2 },
    { name: 'pool', type: 'gap', from: 'c2' },
    { name: 'logits', type: 'dense', from: 'pool', units: 6 },
  ],
};

const runSettings = {
  spec: 'tiny.json', dataset: 'shapes', target: 'flops', strength: 5, threshold: 0.01, lr: 0.05,
  batch: 8, seed: 1, steps: 40, evalEvery: 20, backend: 'cpu',
};
const runFile = (status: string) =>
  JSON.stringify({ command: 'train', status, settings: runSettings, spec: tinySpec, seed: { flops: 1, params: 1 }, step: 10, seconds: 1, checkpoint: null, history: [] });

/** Files every case starts with (path → contents), relative to its working directory. */
export const FIXTURES: Record<string, string> = {
  'tiny.json': JSON.stringify(tinySpec),
  'ten-classes.json': JSON.stringify({ ...tinySpec, name: 'ten', classes: 10, layers: [...tinySpec.layers.slice(0, 3), { name: 'logits', type: 'dense', from: 'pool', units: 10 }] }),
  alive_ok: JSON.stringify({ 'c1/Conv2D': 2, 'c2/Conv2D': 3 }),
  alive_zero: JSON.stringify({ 'c1/Conv2D': 0, 'c2/Conv2D': 0 }),
  'existing.json': '{}\n',
  'file.txt': 'not a directory\n',
  'rundir/run.json': runFile('training'),
  'rundir/learned_structure/alive_10': JSON.stringify({ 'c1/Conv2D': 4, 'c2/Conv2D': 6 }),
  'donedir/run.json': runFile('done'),
  'latdir/run.json': JSON.stringify({ ...JSON.parse(runFile('interrupted')), settings: { ...runSettings, target: 'latency' } }),
};

const T = ['train', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', 'out'];
const S = ['sweep', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', 's.json'];
const E = ['expand', '--spec', 'tiny.json', '--alive', 'alive_ok', '--target', 'flops'];
const th = (c: string) => ` (see morphnet ${c} --help)`;
const PAGE_LR = `must be a number from 0.00001 to 1 (the page's range)`;
const DEVICE = 'a device to price for: --hardware K80|P4|T4|P100|V100|TPUv2, or --peak-gflops X with --bandwidth-gbs Y';
const C = ['cost', '--spec', 'tiny.json'];
const SEEDS = 'seeds: resnet-mini, plain-cnn, inception-mini; or give a spec file path';

const bad = (what: string, args: string[], text: string, code = 2): BadInput => ({
  what,
  args,
  message: `morphnet: ${text}`,
  stderr: `morphnet: ${text}\n`,
  code,
});

export const BAD_INPUTS: BadInput[] = [
  // Numbers: plain decimals only, in range, and said as typed.
  bad('a negative step count', [...T, '--steps', '-1'], 'train: --steps must be a positive integer, got "-1"'),
  bad('zero steps', [...T, '--steps', '0'], 'train: --steps must be a positive integer, got "0"'),
  bad('a fractional step count', [...T, '--steps', '1.5'], 'train: --steps must be a positive integer, got "1.5"'),
  bad('a hexadecimal number', [...T, '--steps', '0x2'], 'train: --steps must be a positive integer, got "0x2"'),
  bad('a misplaced digit separator', [...T, '--steps', '1_0'], 'train: --steps must be a positive integer, got "1_0"'),
  bad('an exponent with no digits', [...T, '--steps', '1e'], 'train: --steps must be a positive integer, got "1e"'),
  bad('a number with a leading space', [...T, '--steps', ' 3'], 'train: --steps must be a positive integer, got " 3"'),
  bad('an empty number', [...T, '--steps', ''], 'train: --steps must be a positive integer, got ""'),
  bad('Infinity steps', [...T, '--steps', 'Infinity'], 'train: --steps must be a positive integer, got "Infinity"'),
  bad('a step count past 2^53', [...T, '--steps', '1e300'], 'train: --steps must be a positive integer, got "1e300"'),
  bad('a learning rate of 1e4', [...T, '--lr', '1e4'], `train: --lr ${PAGE_LR}, got "1e4"`),
  bad('a learning rate of 0', [...T, '--lr', '0'], `train: --lr ${PAGE_LR}, got "0"`),
  bad('a negative learning rate', [...T, '--lr', '-0.1'], `train: --lr ${PAGE_LR}, got "-0.1"`),
  bad('a NaN learning rate', [...T, '--lr', 'NaN'], `train: --lr ${PAGE_LR}, got "NaN"`),
  bad('a learning rate that overflows', [...T, '--lr', '1e999'], `train: --lr ${PAGE_LR}, got "1e999"`),
  bad('a threshold above the page cap', [...T, '--threshold', '2'], `train: --threshold must be a number from 0.0001 to 0.5 (the page's range), got "2"`),
  bad('a threshold of 0', [...T, '--threshold', '0'], `train: --threshold must be a number from 0.0001 to 0.5 (the page's range), got "0"`),
  bad('a strength above the page cap', [...T, '--strength', '1000'], `train: --strength must be a number from 0.01 to 100 (the page's range; or 0), got "1000"`),
  bad('a negative strength', [...T, '--strength', '-1'], `train: --strength must be a number from 0.01 to 100 (the page's range; or 0), got "-1"`),
  bad('a seed past 2^32 - 1 (would wrap)', [...T, '--seed', '4294967296'], 'train: --seed must be an integer from 0 to 4294967295, got "4294967296"'),
  bad('a negative seed', [...T, '--seed', '-1'], 'train: --seed must be an integer from 0 to 4294967295, got "-1"'),
  bad('a fractional seed', [...T, '--seed', '1.5'], 'train: --seed must be an integer from 0 to 4294967295, got "1.5"'),
  bad('a batch of 0', [...T, '--batch', '0'], 'train: --batch must be a positive integer, got "0"'),
  bad('a batch larger than the dataset', [...T, '--batch', '100000'], 'train: --batch 100000 is larger than the 2048 training examples'),
  bad('a batch whose activations would not fit in memory', ['train', '--spec', 'resnet-mini', '--dataset', 'shapes', '--batch', '2000', '--out', 'out'],
    'resnet-mini: training at batch 2000 needs about 4.6 GiB for activations, over the limit of 2 GiB; use a batch of at most 877 or a smaller network'),
  bad('a sweep multiplier whose activations would not fit', ['sweep', '--spec', 'resnet-mini', '--dataset', 'shapes', '--batch', '800', '--multipliers', '2', '--out', 's.json'],
    'resnet-mini ×2: training at batch 800 needs about 3.6 GiB for activations, over the limit of 2 GiB; use a batch of at most 442 or a smaller network'),
  bad('an unknown engine', [...T, '--engine', 'torch'], 'train: --engine must be tfjs or pytorch, got "torch"'),
  bad('the pytorch engine on shapes', [...T, '--engine', 'pytorch'], 'train: --engine pytorch trains on mnist or fashion (train.py has no shapes generator); use --engine tfjs for shapes'),
  bad('a tfjs backend for the pytorch engine', [...T, '--engine', 'pytorch', '--backend', 'cpu'], 'train: --backend picks a tfjs backend; --engine pytorch runs on the device torch finds'),
  bad('evaluating every 0 steps', [...T, '--eval-every', '0'], 'train: --eval-every must be a positive integer, got "0"'),
  // Flags.
  bad('a value given to a switch', ['cost', '--spec', 'tiny.json', '--json=yes'], `cost: --json takes no value${th('cost')}`),
  bad('a value given to --force', [...T, '--force=yes'], `train: --force takes no value${th('train')}`),
  bad('a flag with its value missing', [...T, '--steps'], `train: option --steps needs a value${th('train')}`),
  bad('a flag given twice', [...T, '--steps', '3', '--steps', '5'], `train: --steps is given more than once${th('train')}`),
  bad('an unknown target', [...T, '--target', 'speed'], 'train: --target must be flops, size or latency, got "speed"'),
  bad('an unknown dataset', ['train', '--spec', 'tiny.json', '--dataset', 'cifar', '--out', 'out'], 'train: --dataset must be mnist, fashion or shapes, got "cifar"'),
  bad('an unknown backend', [...T, '--backend', 'gpu'], 'train: --backend must be cpu, wasm or auto, got "gpu"'),
  bad('no --out', ['train', '--spec', 'tiny.json', '--dataset', 'shapes'], `train: --out is required${th('train')}`),
  bad('a spec for another dataset', ['train', '--spec', 'ten-classes.json', '--dataset', 'shapes', '--out', 'out'], 'train: ten-classes.json takes 32×32×3 images in 10 classes; shapes has 32×32×3 in 6'),
  // Output locations, checked before any training.
  bad('--out under a file', ['train', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', 'file.txt/run'], 'train: cannot create output directory "file.txt/run/learned_structure": a part of the path is not a directory'),
  // Node's recursive mkdir spun forever under /proc before the nearest existing directory was probed.
  bad('--out under /proc', ['train', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', '/proc/nope/x'], 'train: cannot create output directory "/proc/nope/x/learned_structure": no such file'),
  bad('--out holding another run', ['train', '--spec', 'tiny.json', '--dataset', 'shapes', '--out', 'rundir'],
    'train: "rundir" already holds a run (run.json, 1 learned_structure/alive_* file); continue it with --resume rundir, replace it with --force, or choose another --out'),
  bad('resuming a directory with no run', ['train', '--resume', 'nowhere'], 'cannot read run summary "nowhere/run.json": no such file'),
  bad('resuming with other settings', ['train', '--resume', 'rundir', '--lr', '0.1'], "train: --resume takes the run's settings from its run.json; --lr cannot be given with it"),
  bad('resuming a finished run', ['train', '--resume', 'donedir'], 'train: the run in "donedir" is finished (40 steps); nothing to resume'),
  bad('resuming a run with no checkpoint', ['train', '--resume', 'rundir'], 'train: "rundir" has no checkpoint.json to resume from'),
  bad('a sweep into a missing directory', [...S.slice(0, -1), 'none/s.json'], 'sweep: cannot write sweep results "none/s.json": the directory "none" does not exist'),
  bad('a sweep onto a directory', [...S.slice(0, -1), 'rundir'], 'sweep: cannot write sweep results "rundir": it is a directory'),
  bad('a sweep strength of 0', [...S, '--strengths', '0'], "sweep: --strengths takes a comma-separated list of numbers from 0.01 to 100 (the page's range), got \"0\""),
  bad('a pruning fraction over 1', [...S, '--prune', '2'], 'sweep: --prune takes a comma-separated list of fractions in [0, 1], got "2"'),
  bad('a hexadecimal multiplier', [...S, '--multipliers', '0x2'], 'sweep: --multipliers takes a comma-separated list of numbers > 0, got "0x2"'),
  bad('a sweep learning rate above the cap', [...S, '--lr', '5'], `sweep: --lr ${PAGE_LR}, got "5"`),
  bad('a sweep seed that would wrap', [...S, '--seed', '99999999999'], 'sweep: --seed must be an integer from 0 to 4294967295, got "99999999999"'),
  bad('expand over its own --spec', [...E, '--out', './tiny.json'], 'expand: --out "./tiny.json" is the --spec input; write the expanded spec to another file'),
  bad('expand over its own --alive, even with --force', [...E, '--out', 'alive_ok', '--force'], 'expand: --out "alive_ok" is the --alive input; write the expanded spec to another file'),
  bad('expand over an existing file', [...E, '--out', 'existing.json'], 'expand: "existing.json" already exists; give --force to replace it, or choose another --out'),
  bad('expand into a missing directory', [...E, '--out', 'none/x.json'], 'expand: cannot write expanded spec "none/x.json": the directory "none" does not exist'),
  bad('expand of an all-zero structure', ['expand', '--spec', 'tiny.json', '--alive', 'alive_zero', '--target', 'flops', '--out', 'x.json'],
    'expand: every layer in "alive_zero" has 0 alive channels (a diverged run, or too high a strength); nothing to expand'),
  bad('a hexadecimal budget', [...E, '--out', 'x.json', '--budget', '0x10'], 'expand: --budget must be a positive number, got "0x10"'),
  bad('an infinite budget', [...E, '--out', 'x.json', '--budget', 'Infinity'], 'expand: --budget must be a positive number, got "Infinity"'),
  // The device the latency target prices for (issue 13).
  bad('an unknown chip', [...C, '--target', 'latency', '--hardware', 'A100'], 'cost: --hardware must be K80, P4, T4, P100, V100 or TPUv2, got "A100"'),
  bad('an empty chip name', [...C, '--hardware', ''], 'cost: --hardware must be K80, P4, T4, P100, V100 or TPUv2, got ""'),
  bad('target latency with no device', [...T, '--target', 'latency'], `train: --target latency needs ${DEVICE}`),
  bad('a sweep towards latency with no device', [...S, '--target', 'latency'], `sweep: --target latency needs ${DEVICE}`),
  bad('a peak of 0 GFLOP/s', [...T, '--peak-gflops', '0', '--bandwidth-gbs', '300'], 'train: --peak-gflops must be a positive number, got "0"'),
  bad('a negative bandwidth', [...T, '--peak-gflops', '100', '--bandwidth-gbs', '-5'], 'train: --bandwidth-gbs must be a positive number, got "-5"'),
  bad('a hexadecimal peak', [...C, '--peak-gflops', '0x10', '--bandwidth-gbs', '5'], 'cost: --peak-gflops must be a positive number, got "0x10"'),
  bad('an infinite bandwidth', [...C, '--peak-gflops', '10', '--bandwidth-gbs', 'Infinity'], 'cost: --bandwidth-gbs must be a positive number, got "Infinity"'),
  bad('a peak with no bandwidth', [...S, '--peak-gflops', '100'], 'sweep: --peak-gflops needs --bandwidth-gbs too (or give --hardware)'),
  bad('a bandwidth with no peak', [...E, '--out', 'x.json', '--bandwidth-gbs', '100'], 'expand: --bandwidth-gbs needs --peak-gflops too (or give --hardware)'),
  bad('a chip and numbers both', [...T, '--hardware', 'V100', '--peak-gflops', '100', '--bandwidth-gbs', '10'], 'train: give --hardware or --peak-gflops with --bandwidth-gbs, not both'),
  bad('a latency batch of 0', [...C, '--hardware', 'V100', '--latency-batch', '0'], 'cost: --latency-batch must be an integer from 1 to 512, got "0"'),
  bad('a fractional latency batch', [...C, '--hardware', 'V100', '--latency-batch', '1.5'], 'cost: --latency-batch must be an integer from 1 to 512, got "1.5"'),
  bad('a latency batch with no device', [...C, '--latency-batch', '8'], `cost: --latency-batch needs ${DEVICE}`),
  bad('the pytorch engine towards latency with no device', [...T, '--engine', 'pytorch', '--target', 'latency'], `train: --target latency needs ${DEVICE}`),
  bad('resuming a latency run with no device', ['train', '--resume', 'latdir'], 'train: latdir/run.json: settings.latency: target latency with no device to price for'),
  // Terminal escapes in user text are shown, not obeyed.
  bad('an escape sequence in a seed name', ['cost', '--spec', 'evil\x1b[2J'], `unknown seed "evil\\x1b[2J" (${SEEDS})`),
  bad('an escape sequence in a flag', ['cost', '--spec', 'tiny.json', '--\x1b]0;pwned\x07'], `cost: unknown option --\\x1b]0;pwned\\x07${th('cost')}`),
  bad('a bidi override in a file name', ['cost', '--spec', 'a\u202e.json'], 'cannot read spec file "a\\u202e.json": no such file'),
];
