import { defineConfig } from 'vite';

// Relative asset URLs: the same build works under /portal/ (poolside serve)
// and at a site's root (S3 + CloudFront). No source maps: CI time and size.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2020' },
});
