// npm run k6 -- run <script.js> [flags] — k6's `run` offline, against the built-in targets in
// virtual time (labs/runtime/cli/k6-cli.ts, ADR 017). Exits with k6's exit code.
import { readFileSync, writeFileSync } from 'node:fs';
import { healthyShop } from '../labs/k6-load-testing/lab.ts';
import { runK6Cli } from '../labs/runtime/cli/k6-cli.ts';
import { HTTPBIN_TARGET } from '../labs/runtime/http/httpbin.ts';

const code = await runK6Cli(
  process.argv.slice(2),
  {
    readFile: (file) => readFileSync(file, 'utf8'),
    writeFile: (file, text) => writeFileSync(file, text),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    now: () => Date.now(),
  },
  { service: healthyShop, baseUrl: 'http://shop.test', targets: [HTTPBIN_TARGET] },
);
process.exitCode = code;
