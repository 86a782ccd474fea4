// Files the page hands to the person: downloads from text or blobs, a rendered SVG made
// self-contained (its CSS written onto it), and the same SVG drawn to a PNG through a canvas.
import { exportStructure } from '../../morphnet/structure.ts';
import type { AliveCounts, NetworkSpec } from '../../morphnet/types.ts';

/** Starts a download of `data` named `name`. */
export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start reading the blob before it goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The learned structure in the reference's format and file name, `alive_<step>` (MORPHNET.md §6). */
export function downloadStructure(spec: NetworkSpec, alive: AliveCounts, step: number): void {
  // No extension, as the reference writes it: a JSON type would make the browser add `.json`.
  download(`alive_${step}`, `${exportStructure(spec, alive)}\n`, 'application/octet-stream');
}

/** File-name safe: letters, digits, dot, dash, underscore. */
export function fileSafe(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'run'
  );
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const CAPTION_HEIGHT = 28;

/** The presentation properties the diagram's CSS sets, written onto each element of a copy. */
const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
] as const;

/**
 * A standalone SVG document from an SVG on the page: the page's CSS (classes, variables) is
 * resolved into presentation attributes (`fill="…"`), so the file looks the same anywhere, on a
 * white background. Attributes, not `style="…"`: the page's Content-Security-Policy
 * (style-src 'self', vite.config.ts) refuses style strings, even on a detached copy.
 */
export function serializeSvg(svg: SVGSVGElement, title?: string): string {
  // `title` is written above the drawing and as the file's <title>.
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((el, i) => {
    const target = to[i];
    if (!(target instanceof Element)) return;
    const cs = getComputedStyle(el);
    for (const p of PROPS) {
      const value = cs.getPropertyValue(p);
      if (value) target.setAttribute(p, value);
    }
    target.removeAttribute('class');
    // Focus rings and hover state do not belong in a file.
    target.removeAttribute('tabindex');
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.removeAttribute('role');
  copy.removeAttribute('aria-labelledby');
  const width = svg.viewBox.baseVal?.width || svg.clientWidth;
  const height = svg.viewBox.baseVal?.height || svg.clientHeight;
  // The title goes above the drawing as a caption (a slide needs to say what it shows).
  const top = title ? CAPTION_HEIGHT : 0;
  const body = document.createElementNS(SVG_NS, 'g');
  body.setAttribute('transform', `translate(0 ${top})`);
  while (copy.firstChild) body.append(copy.firstChild);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height + top));
  copy.setAttribute('viewBox', `0 0 ${width} ${height + top}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  copy.append(bg);
  if (title) {
    const t = document.createElementNS(SVG_NS, 'title');
    t.textContent = title;
    copy.prepend(t);
    const caption = document.createElementNS(SVG_NS, 'text');
    caption.setAttribute('x', '4');
    caption.setAttribute('y', String(CAPTION_HEIGHT - 10));
    caption.setAttribute('font-family', getComputedStyle(svg).getPropertyValue('font-family'));
    caption.setAttribute('font-size', '14px');
    caption.setAttribute('font-weight', '600');
    caption.setAttribute('fill', '#1f2733');
    caption.textContent = title;
    copy.append(caption);
  }
  copy.append(body);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** Draws an SVG document to a PNG at `scale` times its size (sharp on a projector). */
export async function svgToPng(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    const loaded = new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the diagram could not be drawn as an image'));
    });
    img.src = url;
    await loaded;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw to a canvas');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Copies text to the clipboard; false where the browser refuses (the link stays shown to copy by hand). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The page's address with another query: what a shared link opens. */
export function pageUrl(query: string): string {
  return `${window.location.origin}${window.location.pathname}${query}`;
}
