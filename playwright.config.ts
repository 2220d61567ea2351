import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './tests/support/chromium.ts';

const port = Number(process.env['E2E_PORT'] ?? 4329);
const HEAVY = /(exam-reliability|fleet|database-outage)\.spec\.ts$/;
// Test fixtures write to the same database the e2e server uses (tests/e2e/fixtures.ts).
const databaseUrl = 'file:.tmp/e2e/headroom.db';
process.env['DATABASE_URL'] = databaseUrl;

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: '.tmp/playwright.json' }]],
  // A budget against hangs, not a speed check: one axe run takes 4–10 s on this two-core machine.
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined }, testIgnore: HEAVY },
    // The crash tests start their own server and 200 clients, the fleet tests three instances and
    // nginx; on two cores they starve whatever runs beside them, so they run last, after every
    // browser test.
    { name: 'crash', testMatch: HEAVY, dependencies: ['chromium'] },
  ],
  webServer: {
    // The built site on a fresh SQLite file, started exactly as `npm start` starts it.
    command: 'rm -rf .tmp/e2e && node scripts/serve.ts',
    env: { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl },
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
