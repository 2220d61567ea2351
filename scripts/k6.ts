// npm run k6 -- run <script.js> [flags] — k6's `run` offline, against the built-in targets in
// virtual time (labs/runtime/cli/k6-cli.ts, ADR 017). Exits with k6's exit code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { healthyShop } from '../labs/k6-load-testing/lab.ts';
import { runK6Cli } from '../labs/runtime/cli/k6-cli.ts';
import { HTTPBIN_TARGET } from '../labs/runtime/http/httpbin.ts';
import { QUICKPIZZA_BASE_URL, quickPizzaTarget } from '../labs/runtime/http/quickpizza.ts';

const code = await runK6Cli(
  process.argv.slice(2),
  {
    readFile: (file) => readFileSync(file, 'utf8'),
    readBytes: (file) => (existsSync(file) ? new Uint8Array(readFileSync(file)) : null),
    writeFile: (file, text) => writeFileSync(file, text),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    now: () => Date.now(),
  },
  // BASE_URL defaults to QuickPizza, as Grafana's training scripts expect; the k6 lab's shop stays at shop.test.
  {
    service: healthyShop,
    baseUrl: QUICKPIZZA_BASE_URL,
    targets: [quickPizzaTarget(), HTTPBIN_TARGET, { hosts: ['shop.test'], service: healthyShop }],
  },
);
process.exitCode = code;
