import { describe, expect, it } from 'vitest';
import { ACHIEVEMENT_NAME } from './credential.ts';
import { linkedInAddToProfileUrl, longDate } from './share.ts';

describe('sharing a certificate', () => {
  it('fills in LinkedIn’s add-to-profile form with the certification, issuer, months, id and verify URL', () => {
    const certificate = {
      id: '0123456789abcdef0123456789abcdef',
      issuedAt: new Date('2026-01-31T23:30:00Z'),
      expiresAt: new Date('2028-01-31T23:30:00Z'),
    };
    const url = new URL(linkedInAddToProfileUrl(certificate, 'https://headroom.example/verify/0123456789abcdef0123456789abcdef'));
    expect(`${url.origin}${url.pathname}`).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: ACHIEVEMENT_NAME,
      organizationName: 'Headroom',
      issueYear: '2026',
      issueMonth: '1',
      expirationYear: '2028',
      expirationMonth: '1',
      certUrl: 'https://headroom.example/verify/0123456789abcdef0123456789abcdef',
      certId: '0123456789abcdef0123456789abcdef',
    });
  });

  it('writes dates in words, in UTC like the credential', () => {
    expect(longDate(new Date('2026-11-27T23:59:00Z'))).toBe('27 November 2026');
  });
});
