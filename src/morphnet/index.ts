// The method's public surface in one import (each file's own exports are public too).
export * from './types.ts';
export { parseSpec, validateSpec, formatSpec, SpecError, MAX_SPEC_BYTES } from './spec.ts';
export * from './spec-limits.ts';
export { inferShapes, layerInputs, layerStride, shapeChannels, describeShape } from './shape.ts';
export { buildPlan, traceChannels } from './plan.ts';
export type { ChannelTrace, Component, ComponentMode } from './plan.ts';
export {
  networkCost,
  targetCost,
  termCost,
  termCoef,
  segmentsAlive,
  groupAliveFromCounts,
  asFlops,
  asParams,
  toPlan,
} from './cost.ts';
export {
  groupVectors,
  groupAliveCounts,
  isAlive,
  groupMarginalCosts,
  marginalCosts,
  regularizerState,
  regularizerValue,
} from './regularizer.ts';
export type { RegularizerState } from './regularizer.ts';
export { aliveCounts, aliveCountsFromGroups, groupAlive } from './alive.ts';
export {
  REFERENCE_HARDWARE,
  referenceHardware,
  DEFAULT_LATENCY_BATCH,
  latencyProblem,
  networkLatency,
  latencyGroupWeights,
  opLatency,
  opRegularizer,
  planOps,
} from './latency.ts';
export type { LayerLatency, NetworkLatency, OpLatency } from './latency.ts';
export { latencyOps } from './latency-plan.ts';
export { expandSpec, pruneSpec, scalingFor, widthsAt, componentAlive, ExpandError } from './expand.ts';
export type { ExpandResult } from './expand.ts';
export { uniformSpec, pruneByMagnitude, keptChannels, seedWidths } from './baselines.ts';
export type { PruneResult } from './baselines.ts';
export { SWEEP_FORMAT, SWEEP_VERSION } from './sweep.ts';
export type { SweepFile, SweepPoint, SweepPointSettings, SweepFamily } from './sweep.ts';
export { parseSweep, validateSweep, SweepError, MAX_SWEEP_BYTES } from './sweep-validate.ts';
export { exportStructure, importStructure, structureKeys, StructureError } from './structure.ts';
export { seedNames, seedSpec, isSeedName, withInput } from './seeds.ts';
export { emptyRecord, recordFrom, own } from './records.ts';
export type { SeedName } from './seeds.ts';
