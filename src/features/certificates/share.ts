// Sharing a certificate: the "Add to profile" link LinkedIn documents for certifications, filled in
// so the learner only confirms. LinkedIn's form takes the issuer by name, month-precision dates,
// the credential id and the address where anyone can verify it.
import { ACHIEVEMENT_NAME } from './credential.ts';

export interface ShareableCertificate {
  id: string;
  issuedAt: Date;
  expiresAt: Date;
}

export function linkedInAddToProfileUrl(certificate: ShareableCertificate, verifyUrl: string): string {
  const params = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: ACHIEVEMENT_NAME,
    organizationName: 'Headroom',
    issueYear: String(certificate.issuedAt.getUTCFullYear()),
    issueMonth: String(certificate.issuedAt.getUTCMonth() + 1),
    expirationYear: String(certificate.expiresAt.getUTCFullYear()),
    expirationMonth: String(certificate.expiresAt.getUTCMonth() + 1),
    certUrl: verifyUrl,
    certId: certificate.id,
  });
  return `https://www.linkedin.com/profile/add?${params}`;
}

/** "27 November 2026": how dates read on the printed certificate, in UTC like the credential. */
export function longDate(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}
