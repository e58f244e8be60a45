import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The app is built into web/dist and served by the API server itself (src/http/web.ts), so there
// is no dev proxy to configure: `npm start` rebuilds when sources change.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill is an inline script, which the CSP refuses; every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
