import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // The worker imports these; without pre-bundling, the dev server re-bundles mid-run and
  // reloads the page (../shared/BROWSER.md).
  optimizeDeps: {
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', 'react', 'react-dom', 'zustand', 'd3'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
