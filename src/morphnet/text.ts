// Text from an imported file (a run's name, a sweep point's label) reaches the page and the
// terminal, so control characters are refused in it: C0 and C1 controls (terminal escape codes
// start with ESC, U+001B, or CSI, U+009B), DEL, the line and paragraph separators, and the
// bidirectional overrides and isolates that reorder what is shown.

const isControl = (c: number): boolean =>
  c < 0x20 ||
  (c >= 0x7f && c <= 0x9f) ||
  c === 0x2028 ||
  c === 0x2029 ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069);

/** Why `text` is refused as a name ("contains a control character (U+001B) at character 4"), or null. */
export function controlProblem(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isControl(c)) {
      return `contains a control character (U+${c.toString(16).toUpperCase().padStart(4, '0')}) at character ${i + 1}`;
    }
  }
  return null;
}
