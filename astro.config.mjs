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
  devToolbar: { enabled: false },
});
