// What the engine, the worker and the CLI import from the data folder. Browser-safe: the Node
// disk reader is imported from './node.ts' directly, so node:fs stays out of the worker bundle.
export { DataError } from './format.ts';
export { FILE_DATASETS, loadDataset, type DataSource, type LoadProgress } from './load.ts';
export { SHAPES_SEED, SHAPE_CLASSES, makeShapes, type ShapesOptions } from './shapes.ts';
export {
  evalBatches,
  gatherBatch,
  makeBatchBuffers,
  makeBatchSampler,
  type BatchBuffers,
  type BatchSampler,
  type EvalBatch,
  type Split,
} from './batches.ts';
