import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The page's Content-Security-Policy. No 'unsafe-eval' and no inline script or style: tfjs trains
 * under it on cpu, webgl and webgpu (../shared/BROWSER.md); 'wasm-unsafe-eval' lets WebAssembly
 * compile (tfjs-backend-wasm). Styles set through the DOM (React's `style={{}}`) are allowed by
 * style-src 'self'; style strings (`setAttribute('style')`, <style>) are not, so the SVG exports
 * write presentation attributes (src/ui/runs/files.ts). Favicon and downloads: data: and blob:.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The dev server's page has inline code the built page has not: plugin-react's refresh preamble
 * (an inline <script>) and Vite's injected <style> per CSS import. Vite marks both with
 * `html.cspNonce`, so dev serves the same policy with that nonce added rather than no policy.
 * A fixed nonce is no protection, which is acceptable for a local dev server only: the build has
 * no inline code and no nonce.
 */
const DEV_NONCE = 'morphnet-dev';
const DEV_CSP = CSP.replace("script-src 'self'", `script-src 'self' 'nonce-${DEV_NONCE}'`).replace(
  "style-src 'self'",
  `style-src 'self' 'nonce-${DEV_NONCE}'`,
);

/** Cross-origin isolation (COOP + COEP), which wasm threads need (SharedArrayBuffer). */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built index.html also carries the policy as a <meta> for static hosts that send no headers
 * (a meta policy cannot set frame-ancestors or report-to; this one uses neither). Only in the
 * build: a browser enforces every policy it is given, so in dev a meta without the dev nonce
 * would block the refresh preamble the header allows.
 */
function cspMeta(): Plugin {
  return {
    name: 'morphnet:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig(({ command, isPreview }) => ({
  plugins: [react(), cspMeta()],
  worker: { format: 'es' },
  // The worker imports these; without pre-bundling, the dev server re-bundles mid-run and
  // reloads the page (../shared/BROWSER.md).
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', 'react', 'react-dom', 'zustand', 'd3'],
  },
  ...(command === 'serve' && !isPreview ? { html: { cspNonce: DEV_NONCE } } : {}),
  server: { headers: { 'Content-Security-Policy': DEV_CSP, ...ISOLATION } },
  preview: { headers: { 'Content-Security-Policy': CSP, ...ISOLATION } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
}));
