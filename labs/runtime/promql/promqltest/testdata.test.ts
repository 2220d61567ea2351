// Runs every promqltest file in ../testdata (our own files, Prometheus's format) through the runner:
// any failing case fails the test with its line, query and expected-vs-got.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPromqlTest } from './run.ts';

const dir = path.join(import.meta.dirname, '..', 'testdata');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test'))
  .sort();

describe('promqltest files in labs/runtime/promql/testdata', () => {
  it('finds the test files', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of files) {
    it(`${file}: every case passes`, () => {
      const result = runPromqlTest(readFileSync(path.join(dir, file), 'utf8'));
      const failures = result.cases.filter((c) => c.status === 'failed').map((c) => `${file}:${c.line}: ${c.query}\n    ${c.message}`);
      expect(failures).toEqual([]);
      expect(result.passed).toBeGreaterThan(0);
    });
  }
});
