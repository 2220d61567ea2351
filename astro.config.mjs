// @ts-check
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { defineConfig } from 'astro/config';

export default defineConfig({
  // Absolute URLs in the sitemap and Open Graph tags; set SITE_URL where the site is public.
  site: process.env.SITE_URL ?? 'http://localhost:4321',
  // Pages are prerendered unless they opt out (`export const prerender = false`): lessons are
  // static, routes that need the database run on the Node server.
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  integrations: [mdx(), sitemap({ filter: (page) => !page.includes('/404') })],
  trailingSlash: 'ignore',
  // CSRF defence: state-changing requests must come from our own origin.
  security: { checkOrigin: true },
  markdown: {
    shikiConfig: {
      // The high-contrast variants keep every token above WCAG AA contrast on both themes.
      themes: { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' },
      // Shiki has no PromQL grammar; show PromQL as plain text rather than mis-highlighting it.
      langAlias: { promql: 'text', k6: 'js' },
    },
  },
  build: { inlineStylesheets: 'always' },
  vite: {
    build: {
      // The lab workbench's script (CodeMirror and the in-browser k6 runtime, ~590 kB minified,
      // ~200 kB gzip) is one chunk, loaded only on lab pages; everything else stays far below 500 kB.
      // The limit leaves room for the lab editors to come, and still flags an accidental bundle.
      chunkSizeWarningLimit: 800,
      rolldownOptions: {
        onwarn(warning, warn) {
          // Astro's content plugin starts each MDX entry's propagated-assets module
          // (`*.mdx?astroPropagatedAssets`) with the directive "use astro:head-inject", which the
          // bundler cannot keep. Astro tracks head propagation by that module id in its own plugin
          // (vite-plugin-head), not by the directive, so dropping it changes nothing: 46 warnings
          // with code frames, one per MDX module, are noise. Other warnings, and this code from any
          // other module, still show.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && /\.mdx\?astroPropagatedAssets\b/.test(warning.id ?? warning.message)) return;
          warn(warning);
        },
      },
    },
  },
  devToolbar: { enabled: false },
});
