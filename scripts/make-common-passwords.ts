// Writes src/features/auth/data/common-passwords.txt: the 10,000 most common passwords of at least
// 8 characters from zxcvbn-ts' frequency list (MIT). Shorter ones are already refused by length.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { dictionary } from '@zxcvbn-ts/language-common';

const list = (dictionary['passwords-common'] as string[]).filter((p) => p.length >= 8).slice(0, 10_000);
const target = path.resolve(import.meta.dirname, '../src/features/auth/data/common-passwords.txt');
writeFileSync(target, `${[...new Set(list.map((p) => p.toLowerCase()))].join('\n')}\n`);
console.log(`wrote ${list.length} passwords to ${path.relative(process.cwd(), target)}`);
