// Password rules: 8 to 256 characters and not one of the most common passwords. The list is
// bundled (src/features/auth/data/common-passwords.txt, from zxcvbn-ts' MIT-licensed frequency
// list, 8+ characters only) so no service is called.
import { z } from 'zod';
import commonList from './data/common-passwords.txt?raw';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

const common = new Set(commonList.split('\n').filter((line) => line !== ''));

export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase());
}

export const PasswordSchema = z
  .string({ error: 'Enter a password.' })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)
  .refine((p) => !isCommonPassword(p), 'This password is too common: choose one that is harder to guess.');
