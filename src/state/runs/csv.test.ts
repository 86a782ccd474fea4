import { describe, expect, it } from 'vitest';
import { metricsCsv } from './csv.ts';

describe('metrics CSV', () => {
  it('joins the curves by cycle and step, in order, empty where there is no reading', () => {
    const csv = metricsCsv({
      curve: [
        { cycle: 1, step: 1, taskLoss: 0.5, regLoss: 0.25, trainAccuracy: 0.75 },
        { cycle: 0, step: 1, taskLoss: 2.25, regLoss: 0.5, trainAccuracy: 0.125 },
        { cycle: 0, step: 2, taskLoss: NaN, regLoss: 0.5, trainAccuracy: 0.25 },
      ],
      costCurve: [
        { cycle: 0, step: 1, flops: 1000, params: 100 },
        { cycle: 1, step: 1, flops: 1200, params: 110 },
      ],
      testCurve: [{ cycle: 0, step: 3, accuracy: 0.5 }],
    });
    expect(csv).toBe(
      [
        'cycle,step,task_loss,reg_loss,train_accuracy,flops,params,test_accuracy',
        '0,1,2.25,0.5,0.125,1000,100,',
        '0,2,NaN,0.5,0.25,,,',
        '0,3,,,,,,0.5',
        '1,1,0.5,0.25,0.75,1200,110,',
        '',
      ].join('\n'),
    );
  });

  it('is just the header for a run with no readings', () => {
    expect(metricsCsv({ curve: [], costCurve: [], testCurve: [] })).toBe(
      'cycle,step,task_loss,reg_loss,train_accuracy,flops,params,test_accuracy\n',
    );
  });
});
