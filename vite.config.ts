import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig, type Rollup } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const appVersion = `${pkg.version}+${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;

/**
 * Rollup's one warning that is not ours: zod's own files carry `@__PURE__` annotations
 * where Rollup cannot use them, and it says so once per build (page, worker, service worker).
 * Only that code from those files is dropped; every other warning still prints.
 */
function onwarn(warning: Rollup.RollupLog, warn: Rollup.LoggingFunction): void {
  if (warning.code === 'INVALID_ANNOTATION' && /node_modules[\\/]zod[\\/]/.test(warning.id ?? '')) return;
  warn(warning);
}

/** Files the server sends compressed; smaller ones go as they are (a header costs more than it saves). */
const COMPRESSIBLE = /\.(js|css|html|svg|json|webmanifest|txt)$/;
const COMPRESS_MIN_BYTES = 1024;

/**
 * Brotli and gzip copies of the built files beside them (`x.js.br`, `x.js.gz`), made once at
 * build at the best levels, which the server sends to a browser that accepts them
 * (`serveStatic({ precompressed: true })`); anything else it compresses as it sends.
 */
function precompress(): Plugin {
  return {
    name: 'linli-precompress',
    apply: 'build',
    writeBundle(options) {
      const dir = options.dir ?? 'dist';
      const walk = (d: string): string[] =>
        readdirSync(d).flatMap((name) => {
          const p = path.join(d, name);
          return statSync(p).isDirectory() ? walk(p) : [p];
        });
      for (const file of walk(dir)) {
        if (!COMPRESSIBLE.test(file)) continue;
        const bytes = readFileSync(file);
        if (bytes.byteLength < COMPRESS_MIN_BYTES) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

/**
 * The first screen's lazy pieces, fetched beside the entry rather than after it: the sign-in
 * screen (with what it imports) and the rest of the Chinese strings, which every screen past
 * the first waits for — a round trip less on a weak link (bench/initial-js.ts).
 */
const FIRST_SCREEN_CHUNKS = ['src/app/screens/LoginScreen.tsx', 'src/shared/i18n/zh-CN-more.ts'];

function preloadFirstScreen(): Plugin {
  return {
    name: 'linli-preload-first-screen',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle ?? {};
        const chunks = Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk');
        const wanted = new Set<string>();
        const add = (file: string) => {
          if (wanted.has(file)) return;
          wanted.add(file);
          const chunk = chunks.find((c) => c.fileName === file);
          for (const imported of chunk?.imports ?? []) add(imported);
        };
        for (const c of chunks) if (FIRST_SCREEN_CHUNKS.some((m) => c.facadeModuleId?.replace(/\\/g, '/').endsWith(m))) add(c.fileName);
        const tags = [...wanted]
          .filter((file) => !html.includes(`/${file}"`))
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
            injectTo: 'head' as const,
          }));
        return { html, tags };
      },
    },
  };
}

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { target: 'es2022', sourcemap: false, assetsInlineLimit: 0, rollupOptions: { onwarn } },
  plugins: [
    preloadFirstScreen(),
    precompress(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        rollupFormat: 'es',
        rollupOptions: { onwarn },
      },
      manifest: {
        name: '邻里 Linli',
        short_name: '邻里',
        description: '社区志愿服务：维修、走访、健康检查 — community volunteering',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#fafaf7',
        theme_color: '#b3261e',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
});
