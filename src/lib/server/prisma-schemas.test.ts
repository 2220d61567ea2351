import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeModels, renderPostgresSchema } from './prisma-schemas.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const sqlite = readFileSync(path.join(root, 'prisma/sqlite/schema.prisma'), 'utf8');
const postgres = readFileSync(path.join(root, 'prisma/postgresql/schema.prisma'), 'utf8');

describe('Prisma schemas for the two providers', () => {
  it('define the same models with the same fields', () => {
    const models = describeModels(sqlite);
    expect(Object.keys(models)).toEqual(expect.arrayContaining(['User', 'Session']));
    expect(describeModels(postgres)).toEqual(models);
  });

  it('differ from each other only in the datasource and the client output', () => {
    expect(postgres).toBe(renderPostgresSchema(sqlite));
    expect(postgres).toContain('provider = "postgresql"');
    expect(postgres).toContain('output     = "../../src/generated/postgresql"');
  });

  it('notices a field that exists for one provider only', () => {
    const drifted = postgres.replace('  name         String\n', '  name         String\n  nickname     String?\n');
    expect(describeModels(drifted)).not.toEqual(describeModels(sqlite));
  });
});
