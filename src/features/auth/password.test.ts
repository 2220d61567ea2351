import { describe, expect, it } from 'vitest';
import { isCommonPassword, PasswordSchema } from './password.ts';

describe('password rules', () => {
  it('accept 8 to 256 characters that are not common', () => {
    expect(PasswordSchema.safeParse('correct horse battery').success).toBe(true);
    expect(PasswordSchema.safeParse('x7#kQ2!m').success).toBe(true);
    expect(PasswordSchema.safeParse(`Z9${'a'.repeat(254)}`).success).toBe(true);
  });

  it('reject short and overlong passwords with a readable message', () => {
    expect(PasswordSchema.safeParse('short1!').error?.issues[0]?.message).toBe('Use at least 8 characters.');
    expect(PasswordSchema.safeParse('b'.repeat(257)).error?.issues[0]?.message).toBe('Use at most 256 characters.');
  });

  it('reject the most common passwords, whatever their case', () => {
    for (const common of ['password', '12345678', 'Baseball', 'iloveyou', 'QWERTYUIOP']) {
      expect(isCommonPassword(common), common).toBe(true);
      expect(PasswordSchema.safeParse(common).success).toBe(false);
    }
    expect(isCommonPassword('x7#kQ2!m-headroom')).toBe(false);
  });
});
