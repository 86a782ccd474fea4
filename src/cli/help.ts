// `--help` text: every command and every flag (issue 2, "The command line").
import { seedNames } from '../morphnet/seeds.ts';

const SEEDS = seedNames.join(', ');

export const COMMAND_HELP: Record<string, string> = {
  cost: `morphnet cost --spec NAME|FILE [--alive FILE] [--json]

FLOPs and parameters of every conv, depthwise and dense layer, and in total (MORPHNET.md §2).

  --spec NAME|FILE   a built-in seed (${SEEDS}) or a spec JSON file
  --alive FILE       alive counts in the reference format ({"<layer>/Conv2D": n}), e.g. a
                     train run's learned_structure/alive_<step>; default: every channel alive
  --json             print {"layers":[{"name","flops","params"}],"flops","params"} on one line`,

  expand: `morphnet expand --spec NAME|FILE --alive FILE --target flops|size [--budget X] --out FILE

Expands the learned structure by the largest width multiplier ω whose cost fits the budget
(MORPHNET.md §1.3); blocks whose inner width is 0 are removed, their shortcuts kept.

  --spec NAME|FILE   the seed the structure was learned on (a built-in name or a spec file)
  --alive FILE       alive counts in the reference format (learned_structure/alive_<step>)
  --target T         flops or size: the resource the budget counts
  --budget X         the budget in FLOPs or parameters (default: the seed's own cost)
  --out FILE         where to write the expanded spec (JSON)`,

  train: `morphnet train --spec NAME|FILE --dataset mnist|fashion|shapes --out DIR [options]

Trains the seed in Node with the MorphNet regularizer, showing a progress bar on stderr. Writes
DIR/learned_structure/alive_<step> (reference format) as it goes and DIR/run.json at the end.

  --spec NAME|FILE        seed network (${SEEDS}) or a spec file; a seed takes the
                          dataset's input shape and class count
  --dataset D             mnist, fashion or shapes (generated, needs no files)
  --target T              flops or size: the resource the regularizer targets (flops)
  --strength K            regularizer strength as a multiple of 1 / F(seed) (5)
  --threshold T           |γ| at or below T counts as dead (0.01)
  --steps N               training steps (300)
  --batch B               batch size (32)
  --lr LR                 learning rate, constant while shrinking (0.05)
  --seed S                seed for initialization and data order (1)
  --out DIR               output directory
  --backend B             tfjs backend in Node: auto (wasm, the faster here), wasm or cpu
  --eval-every N          evaluate and save alive counts every N steps (100)`,
};

export const MAIN_HELP = `morphnet: MorphNet Studio's command line (learn a network's structure; see README.md)

Usage: morphnet <command> [flags]        morphnet <command> --help for one command

Commands:
  cost     FLOPs and parameters per layer and in total
  train    train a seed with the MorphNet regularizer; write the learned structure
  expand   widen a learned structure back to a budget

${Object.values(COMMAND_HELP).join('\n\n')}

Seeds: ${SEEDS}. Errors print one line on stderr and exit with code 2.`;
