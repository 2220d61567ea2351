// Writes ops/prometheus/rules/headroom-slos.yml from the SLO definitions
// (src/features/health/slos.ts). `--check`: exit 1 if the committed file is not current.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSloRules, RULES_FILE } from '../src/features/health/slo-rules.ts';

const file = path.resolve(import.meta.dirname, '..', RULES_FILE);
const rules = buildSloRules();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {}
  if (current !== rules) {
    console.error(`${RULES_FILE} is not what src/features/health/slos.ts gives: run \`node scripts/slo-rules.ts\``);
    process.exit(1);
  }
  console.log(`${RULES_FILE} is current`);
} else {
  writeFileSync(file, rules);
  console.log(`wrote ${RULES_FILE}`);
}
