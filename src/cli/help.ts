// `--help` text: every command and every flag (issue 2, "The command line").
import { SETTING_LIMITS as L } from '../morphnet/limits.ts';
import { seedNames } from '../morphnet/seeds.ts';

const SEEDS = seedNames.join(', ');

/** The device flags of cost, expand, train and sweep (src/cli/latency-flags.ts), at a flag indent of `pad`. */
const device = (pad: number) =>
  [
    ['--hardware CHIP', 'price latency for one of the reference\'s chips: K80, P4, T4, P100,'],
    ['', 'V100 or TPUv2 (peak GFLOP/s and GB/s as the reference\'s table)'],
    ['--peak-gflops X', 'or a device of one\'s own: its peak float32 GFLOP/s ...'],
    ['--bandwidth-gbs Y', '... and its memory bandwidth in GB/s (both > 0, both needed)'],
    ['--latency-batch B', `the batch latency is priced at (1; ${L.latencyBatch.min} to ${L.latencyBatch.max})`],
  ]
    .map(([flag, text]) => `  ${flag!.padEnd(pad - 2)}${text}`)
    .join('\n');

export const COMMAND_HELP: Record<string, string> = {
  cost: `morphnet cost --spec NAME|FILE [--alive FILE] [--json]
morphnet cost --spec NAME|FILE --target latency --hardware CHIP | --peak-gflops X --bandwidth-gbs Y [--latency-batch B]

FLOPs and parameters of every conv, depthwise and dense layer, and in total (MORPHNET.md §2).
With a device, the predicted latency instead, per layer (a conv with its batch norm and ReLU,
an add with its ReLU, a concat, a dense) and in total: each op's max(FLOPs ÷ peak, bytes ÷
bandwidth), the reference's roofline, in µs or ms.

  --spec NAME|FILE   a built-in seed (${SEEDS}) or a spec JSON file
  --alive FILE       alive counts in the reference format ({"<layer>/Conv2D": n}), e.g. a
                     train run's learned_structure/alive_<step>; default: every channel alive
  --json             print {"layers":[{"name","flops","params"}],"flops","params"} on one line;
                     with a device each layer and the total also carry "latencyNs" (FLOPs ÷
                     GFLOP/s + bytes ÷ GB/s = ns, the reference's units), beside "hardware"
                     and "latencyBatch"
  --target T         flops, size or latency (latency needs a device)
${device(21)}`,

  expand: `morphnet expand --spec NAME|FILE --alive FILE --target flops|size|latency [--budget X] --out FILE

Expands the learned structure by the largest width multiplier ω whose cost fits the budget
(MORPHNET.md §1.3); blocks whose inner width is 0 are removed, their shortcuts kept.

  --spec NAME|FILE   the seed the structure was learned on (a built-in name or a spec file)
  --alive FILE       alive counts in the reference format (learned_structure/alive_<step>)
  --target T         flops, size or latency: the resource the budget counts (latency
                     needs a device, below)
  --budget X         the budget in FLOPs, parameters or ns of latency (default: the seed's
                     own cost)
  --out FILE         where to write the expanded spec (JSON); never one of the inputs
  --force            replace --out if it exists (without it, an existing file is refused)
${device(21)}`,

  train: `morphnet train --spec NAME|FILE --dataset mnist|fashion|shapes --out DIR [options]
morphnet train --resume DIR [--backend B]

Trains the seed in Node with the MorphNet regularizer, showing a progress bar on stderr. Writes
DIR/learned_structure/alive_<step> (reference format) and DIR/checkpoint.json at every
evaluation, and keeps DIR/run.json current (its "status": training, done, diverged or
interrupted). Ctrl-C (SIGINT) or SIGTERM stops after the current step, writes run.json and a
checkpoint, and exits 130 or 143. A loss, R or γ that becomes NaN or infinite stops the run
(exit 3, marked in run.json).

  --spec NAME|FILE        seed network (${SEEDS}) or a spec file; a seed takes the
                          dataset's input shape and class count
  --dataset D             mnist, fashion or shapes (generated, needs no files)
  --target T              flops, size or latency: the resource the regularizer targets
                          (flops; latency needs a device, below)
  --strength K            regularizer strength as a multiple of 1 / F(seed) (5; 0, or
                          ${L.strength.min} to ${L.strength.max} as on the page)
  --threshold T           |γ| at or below T counts as dead (0.01; ${L.threshold.min} to ${L.threshold.max})
  --steps N               training steps (300)
  --batch B               batch size (32)
  --lr LR                 learning rate, the peak under a schedule (0.05; ${L.lr.min} to ${L.lr.max})
  --schedule S            constant (default) or cosine: from --lr down towards 0 at the last step
  --warmup N              steps of linear warm-up to --lr first (0)
  --seed S                seed for initialization and data order (1; 0 to 4294967295)
  --out DIR               output directory
  --backend B             tfjs backend in Node: auto (wasm, the faster here), wasm or cpu
  --engine E              tfjs (default) or pytorch: export the network as the PyTorch
                          package to a temporary folder and run its train.py with python3
                          (or MORPHNET_PYTHON); same files and progress, no checkpoint (such a
                          run cannot --resume), mnist and fashion only
  --eval-every N          evaluate and save alive counts every N steps (100)
  --resume DIR            continue the run in DIR from its checkpoint, with its settings,
                          to the same result as an uninterrupted run
  --force                 reuse an --out that holds another run: its run.json, checkpoint
                          and alive_* files are removed first (without it, refused)
${device(26)}
                          The device and batch go into run.json's settings ("latency"); the
                          seed, each readback and the result gain "latencyNs"`,

  sweep: `morphnet sweep --spec NAME|FILE --dataset mnist|fashion|shapes --out FILE [options]

The trade-off chart's three families of points, each scored on the whole test set, written to
one JSON file the page imports (format: src/cli/README.md). Progress on stderr.
  uniform   the seed's widths × each multiplier, trained from scratch for --steps
  pruning   the seed trained for --steps, the k% of filters with the smallest L2 norm removed
            from each layer (tied layers together), fine-tuned for --finetune steps
  morphnet  a structure learned at each strength for --steps, expanded to each budget
            (MORPHNET.md §1.3), retrained from scratch for --steps

  --spec NAME|FILE        seed network (${SEEDS}) or a spec file
  --dataset D             mnist, fashion or shapes
  --out FILE              where to write the results (JSON)
  --steps N               training steps of every network (300)
  --batch B               batch size (32)
  --lr LR                 learning rate, the peak under a schedule (0.05; ${L.lr.min} to ${L.lr.max})
  --schedule S            constant (default) or cosine, over each network's own steps
  --warmup N              steps of linear warm-up to --lr first (0)
  --learn-steps N         steps of each MorphNet structure-learning run (--steps)
  --seed S                seed for initialization and data order, the same for every point (1)
  --multipliers LIST      uniform width multipliers (0.25,0.5,0.75,1,1.25,1.5)
  --prune LIST            fractions of filters pruned (0.25,0.5,0.75)
  --finetune N            fine-tuning steps after pruning (a third of --steps)
  --strengths LIST        MorphNet strengths, × 1 / F(seed) (2,5,10; each ${L.strength.min} to ${L.strength.max})
  --budgets LIST          budgets to expand to, as fractions of the seed's cost (1)
  --target T              flops, size or latency: what MorphNet targets and the budget
                          counts (flops; latency needs a device, below)
${device(26)}
                          (in the file's settings as "latency"; each point gains "latencyNs")
  --threshold T           |γ| at or below T counts as dead (0.01; ${L.threshold.min} to ${L.threshold.max})
  --backend B             auto (wasm), wasm or cpu
  --engine E              tfjs (default) or pytorch: each network trained by the exported
                          PyTorch package's train.py (python3, or MORPHNET_PYTHON), mnist and
                          fashion only. Pruning stays on tfjs (it cuts the trained seed's
                          weights): the seed it prunes is trained there too, and the sweep
                          file's settings say so ("pruningEngine": "tfjs")
  An empty list (--prune '') leaves that family out.`,

  export: `morphnet export --spec NAME|FILE [--alive FILE | --expanded FILE] --format pytorch --out DIR

Writes the network as a small PyTorch package: model.py, morphnet.py (the regularizer, from the
studio's own plan in plan.json), train.py (python or torchrun), spec.json and a README.

  --spec NAME|FILE   the seed (${SEEDS}) or a spec file
  --alive FILE       build the network at these alive counts (learned_structure/alive_<step>)
  --expanded FILE    build this expanded spec (from morphnet expand); --spec stays its seed
  --format pytorch   the only format so far
  --out DIR          the package folder (made if missing)`,

  import: `morphnet import --from keras|tfjs FILE [--out FILE]

A Keras model (the JSON of model.to_json(), Keras 2 or 3) or a TensorFlow.js Layers model.json
as a studio spec, printed or written to --out; Sequential and Functional models alike. Conv2D
and DepthwiseConv2D ("same" padding) take the BatchNormalization and ReLU after them; Add,
Concatenate (channels), MaxPooling2D, GlobalAveragePooling2D and Dense carry over; Dropout,
linear activations, the softmax on the output and a Flatten after the pool are dropped. Any
other layer is named in one line.

  --from F           keras or tfjs (both read either file)
  --out FILE         where to write the spec (default: print it)`,
};

export const MAIN_HELP = `morphnet: MorphNet Studio's command line (learn a network's structure; see README.md)

Usage: morphnet <command> [flags]        morphnet <command> --help for one command

Commands:
  cost     FLOPs and parameters per layer and in total
  train    train a seed with the MorphNet regularizer; write the learned structure
  expand   widen a learned structure back to a budget
  sweep    MorphNet against a uniform multiplier and magnitude pruning (the trade-off chart)
  export   the network as a PyTorch package (model, regularizer, torchrun training)
  import   a Keras or TensorFlow.js Layers model as a studio spec

${Object.values(COMMAND_HELP).join('\n\n')}

Seeds: ${SEEDS}. Errors print one line on stderr and exit with code 2 (a mistake in the
command or its files) or 1 (a bug); a training run that diverged exits 3, one stopped by
SIGINT or SIGTERM 130 or 143.`;
