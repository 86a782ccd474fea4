// The one error type of the spec format: one line naming the source, the layer and the field,
// because users import their own specs and must be able to fix them without a stack trace.
export class SpecError extends Error {
  override name = 'SpecError';
  constructor(
    readonly source: string,
    readonly layer: string | null,
    readonly field: string | null,
    readonly detail: string,
  ) {
    const where = (layer === null ? '' : `layer ${layer}: `) + (field === null ? '' : `field "${field}": `);
    super(`${source}: ${where}${detail}`);
  }
}
