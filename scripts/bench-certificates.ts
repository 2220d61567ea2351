// npm run bench:certificates — what certificates cost, each against a baseline in the same run.
//  1. Signing a credential (build + VC-JWT with jose) against a bare Ed25519 signature of the same
//     payload bytes with node:crypto.
//  2. Verifying a credential in OB 3.0 order (format, algorithm, kid, signature, schema, dates,
//     status — status from memory here) against jose's jwtVerify alone.
//  3. verifyWithHeadroom on SQLite: the same, with revocation read from the database.
//  4. The printable PDF, rendered cold (fonts embedded as subsets) against the same page drawn with
//     a standard PDF font (nothing embedded); and served from the artwork cache.
//  5. The share PNG (text, QR code) against rendering a blank 1200×630 SVG.
import { sign as ed25519Sign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Resvg } from '@resvg/resvg-js';
import { importJWK, jwtVerify } from 'jose';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { certificateArtwork, renderCertificatePdf, renderCertificatePng } from '../src/features/certificates/artwork.server.ts';
import { credentialJwt, verifyWithHeadroom } from '../src/features/certificates/certificates.server.ts';
import { buildCredential, signCredential, verifyCredential } from '../src/features/certificates/credential.ts';
import { loadKeySet } from '../src/features/certificates/keys.server.ts';
import { resolveDatabase } from '../src/lib/server/database-url.ts';
import { closeDb } from '../src/lib/server/db.server.ts';
import { applyMigrations } from '../src/lib/server/migrate.server.ts';
import { createCertificateFixture } from '../tests/support/certificates.ts';
import { freshSqlite } from '../tests/support/databases.ts';

interface Stats {
  median: number;
  p99: number;
  perSecond: number;
}

async function measure(iterations: number, fn: () => unknown): Promise<Stats> {
  for (let i = 0; i < Math.max(3, iterations / 10); i += 1) await fn();
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  const total = performance.now() - start;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { median: at(0.5), p99: at(0.99), perSecond: (iterations * 1000) / total };
}

const ms = (n: number) => (n < 1 ? `${(n * 1000).toFixed(0)} µs` : `${n.toFixed(1)} ms`);
function report(label: string, ours: Stats, baselineLabel: string, baseline: Stats): void {
  console.log(`${label}: median ${ms(ours.median)}, p99 ${ms(ours.p99)}, ${ours.perSecond.toFixed(0)}/s`);
  console.log(`  baseline, ${baselineLabel}: median ${ms(baseline.median)}, ${baseline.perSecond.toFixed(0)}/s`);
  console.log(`  ratio: ${(ours.median / baseline.median).toFixed(2)}× the baseline's median time`);
}

const siteUrl = 'https://headroom.example';
const credentialId = randomBytes(16).toString('hex');
const issuedAt = new Date();
const expiresAt = new Date(issuedAt.getTime() + 2 * 365 * 86_400_000);
const credential = buildCredential({
  certificateId: credentialId,
  siteUrl,
  learnerName: 'Ada Lovelace',
  learnerEmail: 'ada@example.com',
  issuedAt,
  expiresAt,
  evidence: [{ id: `${siteUrl}/exam/`, name: 'Certification exam', description: 'Passed with a reported score of 910.' }],
});
const keys = await loadKeySet({}, mkdtempSync(path.join(tmpdir(), 'headroom-bench-keys-')));

// 1. Signing.
const { privateKey } = generateKeyPairSync('ed25519');
const payloadBytes = Buffer.from(JSON.stringify(credential));
report(
  'sign a credential (VC-JWT, EdDSA)',
  await measure(2000, () => signCredential(credential, keys.current)),
  'node:crypto Ed25519 over the same payload',
  await measure(2000, () => ed25519Sign(null, payloadBytes, privateKey)),
);

// 2. Verifying, status from memory.
const jwt = await signCredential(credential, keys.current);
const publicKey = await importJWK(keys.publicKeys.get(keys.current.kid) ?? {}, 'EdDSA');
report(
  'verify in OB 3.0 order (status from memory)',
  await measure(2000, () =>
    verifyCredential(jwt, { keys: keys.publicKeys, now: new Date(), status: async () => ({ revoked: false, reason: null }) }),
  ),
  'jose jwtVerify alone',
  await measure(2000, () => jwtVerify(jwt, publicKey, { algorithms: ['EdDSA'] })),
);

// 3 and 4 (cache) need a certificate in a database.
const database = freshSqlite();
process.env['DATABASE_URL'] = database.url;
process.env['CREDENTIAL_SIGNING_KEY'] = JSON.stringify(keys.current.privateJwk);
await applyMigrations(resolveDatabase(process.env));
const fixture = await createCertificateFixture('ada@example.com', { issuedAt, expiresAt });
const certificateId = fixture.id;
const storedJwt = (await credentialJwt(certificateId, siteUrl)) ?? '';
const withDatabase = await measure(2000, () => verifyWithHeadroom(storedJwt));
console.log(
  `verifyWithHeadroom on SQLite (revocation from the database): median ${ms(withDatabase.median)}, p99 ${ms(withDatabase.p99)}, ${withDatabase.perSecond.toFixed(0)}/s`,
);

// 4. The PDF.
const printable = { id: certificateId, name: 'Ada Lovelace', issuedAt, expiresAt };
const verifyUrl = `${siteUrl}/verify/${certificateId}`;
report(
  'render the PDF, cold (DejaVu subsets embedded, QR code)',
  await measure(40, () => renderCertificatePdf(printable, verifyUrl)),
  'the same text with a standard font (Helvetica, nothing embedded)',
  await measure(40, async () => {
    const document = await PDFDocument.create();
    const font = await document.embedFont(StandardFonts.Helvetica);
    const page = document.addPage([841.89, 595.28]);
    for (const [i, text] of [
      'Headroom',
      'CERTIFICATE OF ACHIEVEMENT',
      'Ada Lovelace',
      'Headroom Certified Performance Engineer',
      certificateId,
      verifyUrl,
    ].entries())
      page.drawText(text, { x: 60, y: 500 - i * 40, size: 14, font });
    return document.save();
  }),
);
const cached = await measure(2000, () => certificateArtwork(certificateId, 'pdf', siteUrl));
console.log(
  `  served from the artwork cache (status still read from SQLite): median ${ms(cached.median)}, ${cached.perSecond.toFixed(0)}/s`,
);

// 5. The PNG.
report(
  'render the share PNG (1200×630, text and QR code)',
  await measure(40, () => renderCertificatePng(printable, verifyUrl)),
  'resvg rendering a blank 1200×630 SVG',
  await measure(40, () =>
    new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#f7f9fa"/></svg>', {
      font: { loadSystemFonts: false },
    })
      .render()
      .asPng(),
  ),
);

await closeDb();
await database.drop();
