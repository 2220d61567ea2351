import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABS } from './registry.ts';

describe('the lab registry', () => {
  it('lists every lab folder under labs/, each with its lab.ts, under a matching id', () => {
    const folders = readdirSync(import.meta.dirname, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'runtime')
      .map((e) => e.name)
      .sort();
    expect(LABS.map((l) => l.id).sort()).toEqual(folders);
    for (const folder of folders) expect(readdirSync(path.join(import.meta.dirname, folder))).toContain('lab.ts');
  });
});
