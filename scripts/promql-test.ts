// npm run promql:test -- <file.test>… — runs promqltest files (Prometheus's test format) against our
// PromQL engine: one line per failing case (`file:line: FAIL <query> — <expected vs got>`), then
// `N passed, N failed, N skipped` (skipped: cases that need native histograms, out of scope).
// Exit code 1 when a case failed, 2 on bad usage. `--verbose` also lists skipped cases.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runPromqlTest } from '../labs/runtime/promql/promqltest/run.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const files = args.filter((a) => a !== '--verbose');
if (files.length === 0) {
  console.error('usage: npm run promql:test -- [--verbose] <file.test>…');
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`${file}: cannot read: ${(error as Error).message}`);
    failed += 1;
    continue;
  }
  const result = runPromqlTest(text);
  const name = path.relative(process.cwd(), path.resolve(file));
  for (const c of result.cases) {
    if (c.status === 'failed' || (verbose && c.status === 'skipped')) {
      console.log(`${name}:${c.line}: ${c.status === 'skipped' ? 'SKIP' : 'FAIL'} ${c.query} — ${c.message ?? ''}`);
    }
  }
  if (files.length > 1) console.log(`# ${name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
  passed += result.passed;
  failed += result.failed;
  skipped += result.skipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
