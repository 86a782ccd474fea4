// Records keyed by layer names. Layer names are the user's: `__proto__`, `constructor` or
// `toString` are valid names, and a plain `{}` would read them from Object.prototype (a function,
// or the prototype itself) or, for `__proto__`, swallow the write. So every record the method
// builds has no prototype, and every record a caller hands in is read through `own`.

/** An empty record with no prototype: any string is an ordinary key. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A prototype-free record from entries (Object.fromEntries without Object.prototype). */
export function recordFrom<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = emptyRecord<T>();
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** `rec[key]` if `rec` has it as its own key; never a value inherited from Object.prototype. */
export function own<T>(rec: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return rec !== undefined && Object.hasOwn(rec, key) ? rec[key] : undefined;
}
