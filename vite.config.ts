import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The demo district lives in data/demo (FlatGeobuf); it is imported with ?url so
  // it is served in dev and fingerprinted into dist on build.
  assetsInclude: ['**/*.fgb'],
  worker: { format: 'es' },
  build: { target: "es2022", chunkSizeWarningLimit: 4000, sourcemap: true },
});
