// The page queue's text inputs read as numbers (./PageQueue.tsx): one line naming the field and
// the bad entry, so a typo starts nothing.

/** "0.25, 0.5,1" → [0.25, 0.5, 1], sorted, without repeats; each in (min, max] (or [min, max] when `closed`). */
export function parseList(
  text: string,
  field: string,
  range: { min: number; max: number; closed?: boolean },
  allowEmpty = false,
): number[] | string {
  if (allowEmpty && text.trim() === '') return [];
  const inRange = (n: number) => (range.closed ? n >= range.min : n > range.min) && n <= range.max;
  const what = `${range.closed ? '[' : '('}${range.min}, ${range.max}]`;
  const out: number[] = [];
  for (const p of text.split(',').map((x) => x.trim())) {
    const n = Number(p);
    if (p === '' || !Number.isFinite(n) || !inRange(n)) {
      return `${field}: expected numbers in ${what} separated by commas${allowEmpty ? ' (or nothing)' : ''}, got "${p}"`;
    }
    if (!out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

export function parseCount(text: string, field: string, min = 1): number | string {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > 100_000) {
    return `${field}: expected a whole number from ${min} to 100000, got "${text.trim()}"`;
  }
  return n;
}
