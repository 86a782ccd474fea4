import { describe, expect, it } from 'vitest';
import { parseInputs, renderReport } from './mutation-report.ts';
import type { Mutant, Report } from './mutation-report.ts';

function m(
  id: string,
  status: string,
  line: number,
  mutatorName = 'ConditionalExpression',
  replacement = 'true',
): Mutant {
  return { id, status, mutatorName, replacement, location: { start: { line, column: 3 } } };
}

const full: Report = {
  files: {
    'src/a.ts': {
      mutants: [
        m('1', 'Killed', 1),
        m('2', 'Timeout', 2),
        m('3', 'Survived', 9),
        m('4', 'NoCoverage', 4, 'StringLiteral', '""'),
      ],
    },
    'src/b.ts': { mutants: [m('5', 'Killed', 1), m('6', 'Survived', 2), m('7', 'CompileError', 3)] },
  },
};

describe('renderReport', () => {
  it('counts killed and timed-out as detected, leaves compile errors out, and scores without the equivalents', () => {
    const md = renderReport(
      [{ report: full, label: '`npm run mutation`' }],
      [
        {
          file: 'src/a.ts',
          line: 9,
          mutator: 'ConditionalExpression',
          replacement: 'true',
          reason: 'a guard only',
        },
      ],
    );
    // 3 detected of 6 valid; one of the 3 undetected is equivalent: 3 of 5.
    expect(md).toContain('**Score: 50.00%** (3 of 6 mutants detected).');
    expect(md).toContain(
      '**Score over non-equivalent mutants: 60.00%** (3 of 5; 1 survivors judged equivalent).',
    );
    expect(md).toContain('| src/a.ts | 4 | 2 | 2 | 1 | 50.00% | 66.67% | `npm run mutation` |');
    expect(md).toContain('| src/b.ts | 2 | 1 | 1 | 0 | 50.00% | 50.00% | `npm run mutation` |');
    // Survivors sorted by line within a file, each with its verdict.
    const a4 = md.indexOf(
      '| src/a.ts:4:3 | StringLiteral | `` "" `` | no coverage | **not judged equivalent** |',
    );
    const a9 = md.indexOf(
      '| src/a.ts:9:3 | ConditionalExpression | `` true `` | survived | equivalent: a guard only |',
    );
    expect(a4).toBeGreaterThan(0);
    expect(a9).toBeGreaterThan(a4);
    expect(md).not.toContain('Judgements that matched no survivor');
  });

  it('lets a later report replace a file and lists judgements that match nothing', () => {
    const perFile: Report = {
      files: { 'src/b.ts': { mutants: [m('5', 'Killed', 1), m('6', 'Killed', 2)] } },
    };
    const md = renderReport(
      [
        { report: full, label: '`npm run mutation`' },
        { report: perFile, label: '`npx stryker run --mutate src/b.ts`' },
      ],
      [{ file: 'src/b.ts', line: 2, mutator: 'ConditionalExpression', replacement: 'true', reason: 'moot' }],
    );
    expect(md).toContain(
      '| src/b.ts | 2 | 2 | 0 | 0 | 100.00% | 100.00% | `npx stryker run --mutate src/b.ts` |',
    );
    expect(md).toContain('**Score: 66.67%** (4 of 6 mutants detected).');
    expect(md).toContain('- src/b.ts:2 ConditionalExpression `` true ``');
    expect(md).toContain(
      'Reports read, later ones replacing earlier ones file by file: `npm run mutation`, `npx stryker run --mutate src/b.ts`.',
    );
  });
});

describe('parseInputs', () => {
  it('defaults to the full run and splits path=command', () => {
    expect(parseInputs([])).toEqual([
      { path: 'reports/mutation/mutation.json', label: '`npm run mutation`' },
    ]);
    expect(parseInputs(['r/a.json=npx stryker run --mutate a.ts', 'r/b.json'])).toEqual([
      { path: 'r/a.json', label: '`npx stryker run --mutate a.ts`' },
      { path: 'r/b.json', label: 'r/b.json' },
    ]);
  });
});
