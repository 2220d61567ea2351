// Writes prisma/postgresql/schema.prisma from prisma/sqlite/schema.prisma: the models have one
// source of truth and only the datasource and the generator output differ.
//   npm run db:schema            write it
//   npm run db:schema -- --check exit 1 if the committed file is stale
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderPostgresSchema } from '../src/lib/server/prisma-schemas.ts';

const root = path.resolve(import.meta.dirname, '..');
const source = readFileSync(path.join(root, 'prisma/sqlite/schema.prisma'), 'utf8');
const target = path.join(root, 'prisma/postgresql/schema.prisma');
const rendered = renderPostgresSchema(source);
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== rendered) {
    console.error('prisma/postgresql/schema.prisma is stale: run `npm run db:schema`');
    process.exit(1);
  }
} else {
  writeFileSync(target, rendered);
  console.log('wrote prisma/postgresql/schema.prisma');
}
