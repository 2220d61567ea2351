// Certificates against a real database: the PDF and PNG endpoints' lookups (unknown, active,
// revoked), the learner's list on the dashboard, and the instructor's search and revocation.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LABS } from '../../labs/registry.ts';
import { listCertificates, RevokeForm, revokeAsInstructor } from '../../src/features/certificates/admin.server.ts';
import { certificateArtwork } from '../../src/features/certificates/artwork.server.ts';
import {
  certificateIdForAttempt,
  certificatesOf,
  credentialJwt,
  findCertificate,
  issueCertificateFor,
  verifyWithHeadroom,
} from '../../src/features/certificates/certificates.server.ts';
import { findLabRunEvidence } from '../../src/features/certificates/evidence.server.ts';
import { checkSubmittedCredential } from '../../src/features/certificates/verifier.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { createCertificateFixture, createPassedAttempt } from '../support/certificates.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

const SITE = 'https://headroom.example';

const createCertificate = createCertificateFixture;

const tag = () => `c${randomUUID().slice(0, 8)}`;

describe.each(PROVIDERS)('certificates on %s', (provider) => {
  useFreshDatabase(provider);

  it('serves the PDF and PNG of an active certificate, 404s unknown ids and withholds revoked ones', async () => {
    const t = tag();
    const { id } = await createCertificate(`${t}@example.com`);
    const pdf = await certificateArtwork(id, 'pdf', SITE);
    expect(pdf.status).toBe('ok');
    if (pdf.status === 'ok') expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const png = await certificateArtwork(id, 'png', SITE);
    if (png.status !== 'ok') throw new Error(`expected a PNG, got ${png.status}`);
    expect(Buffer.from(png.bytes.subarray(1, 4)).toString()).toBe('PNG');
    for (const unknown of ['0123456789abcdef0123456789abcdef', 'x', `${id}.pdf`, id.toUpperCase()])
      expect(await certificateArtwork(unknown, 'pdf', SITE)).toEqual({ status: 'not-found' });

    expect(await revokeAsInstructor({ certificate: id, reason: 'issued in error' }, 'grace@headroom.example')).toEqual({
      ok: true,
      name: 'Ada Lovelace',
    });
    // Revocation is read from the database on every request, so a cached rendering is not served.
    expect(await certificateArtwork(id, 'pdf', SITE)).toEqual({ status: 'revoked' });
    expect(await certificateArtwork(id, 'png', SITE)).toEqual({ status: 'revoked' });
  });

  it('revokes once, with the reason shown publicly, and reports unknown or already revoked certificates', async () => {
    const t = tag();
    const { id, name } = await createCertificate(`${t}@example.com`, { name: 'Grace Hopper' });
    const jwt = (await credentialJwt(id, SITE)) ?? '';
    expect(await verifyWithHeadroom(jwt)).toMatchObject({ valid: true });

    expect(await revokeAsInstructor({ certificate: '0123456789abcdef0123456789abcdef', reason: 'test' }, 'grace@headroom.example')).toEqual(
      {
        ok: false,
        error: 'There is no certificate with this id.',
      },
    );
    expect(await revokeAsInstructor({ certificate: id, reason: 'exam irregularity' }, 'grace@headroom.example')).toEqual({
      ok: true,
      name,
    });
    expect(await revokeAsInstructor({ certificate: id, reason: 'again' }, 'alan@headroom.example')).toEqual({
      ok: false,
      error: `The certificate of ${name} is already revoked.`,
    });
    expect(await findCertificate(id)).toMatchObject({ status: 'revoked', revokedReason: 'exam irregularity' });
    // The first revocation stands, with who made it.
    expect(await listCertificates(id)).toEqual([
      expect.objectContaining({ status: 'revoked', revokedReason: 'exam irregularity', revokedBy: 'grace@headroom.example' }),
    ]);
    expect(await verifyWithHeadroom(jwt)).toMatchObject({
      valid: false,
      step: 'status',
      reason: expect.stringContaining('exam irregularity'),
    });
  });

  it('answers the /verify form: a verdict, the optional e-mail check, and readable 4xx for bad submissions', async () => {
    const t = tag();
    const { id } = await createCertificate(`${t}@example.com`);
    const jwt = (await credentialJwt(id, SITE)) ?? '';
    const submit = (fields: Record<string, string | Blob>, headers: Record<string, string> = {}) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      return checkSubmittedCredential(new Request(`${SITE}/verify`, { method: 'POST', body: form, headers }));
    };
    expect(await submit({ credential: jwt, email: `${t.toUpperCase()}@example.com` })).toMatchObject({
      status: 200,
      verdict: { valid: true },
      emailMatches: true,
    });
    expect(await submit({ credential: jwt, email: 'someone@example.com' })).toMatchObject({ status: 200, emailMatches: false });
    expect(await submit({ credential: '', file: new File([jwt], 'c.jwt') })).toMatchObject({ status: 200, emailMatches: null });
    expect(await submit({ credential: `${jwt}x` })).toMatchObject({ status: 422, verdict: { valid: false, step: 'signature' } });
    expect(await submit({ credential: '  ' })).toEqual({ status: 400, problem: 'Paste a credential or choose a credential file.' });
    expect(await submit({ file: new File(['a'.repeat(70_000)], 'big.json') })).toMatchObject({ status: 413 });
    expect(await submit({ credential: 'a'.repeat(70_000) })).toMatchObject({ status: 413 });
    const garbage = await checkSubmittedCredential(
      new Request(`${SITE}/verify`, {
        method: 'POST',
        body: '--x\r\nnot multipart',
        headers: { 'content-type': 'multipart/form-data; boundary=y' },
      }),
    );
    expect(garbage).toEqual({ status: 400, problem: 'The form could not be read. Paste the credential or choose the file again.' });
  });

  it('publishes the lab runs a certificate cites as evidence, with their thresholds, and nothing else', async () => {
    const t = tag();
    const lab = LABS[0];
    if (!lab) throw new Error('no lab registered');
    const { userId, attemptId } = await createPassedAttempt(`${t}@example.com`);
    const summary = [
      {
        label: 'smoke',
        exitCode: 0,
        requests: 1200,
        iterations: 600,
        droppedIterations: 0,
        virtualDurationMs: 60_000,
        error: null,
        thresholds: {
          ok: true,
          metrics: [
            {
              metric: 'http_req_duration',
              parent: 'http_req_duration',
              tags: {},
              ok: true,
              thresholds: [{ expression: 'p(95)<300', ok: true, actual: 212.5, abortOnFail: false }],
            },
          ],
        },
        checks: [{ name: 'status is 200', passes: 1200, fails: 0 }],
        scenarios: [],
      },
    ];
    const runIds = lab.tasks.map(() => randomUUID());
    await db().labRun.createMany({
      data: lab.tasks.map((task, i) => ({
        id: runIds[i] ?? '',
        userId,
        labId: lab.id,
        labVersion: lab.version,
        taskId: task.id,
        seed: 7,
        code: 'export default function () { /* the learner’s answer */ }',
        summary: i === 1 ? 'not json' : JSON.stringify(summary),
        message: 'p95 stayed under 300 ms',
        passed: true,
        verified: true,
        clientDigest: 'd',
        serverDigest: 'abcdef0123456789abcdef',
        verifyMs: 5,
      })),
    });
    const otherRun = randomUUID();
    await db().labRun.create({
      data: {
        id: otherRun,
        userId,
        labId: lab.id,
        labVersion: lab.version,
        taskId: lab.tasks[0]?.id ?? '',
        seed: 1,
        code: 'x',
        summary: '[]',
        message: 'failed',
        passed: false,
        verified: true,
        clientDigest: 'd',
        serverDigest: 'e',
        verifyMs: 1,
      },
    });
    const id = (await issueCertificateFor(attemptId)) ?? '';
    const cited = (await findCertificate(id))?.evidence.map((e) => e.id) ?? [];
    for (const runId of runIds) expect(cited).toContain(`/certificates/${id}/evidence/${runId}`);

    const evidence = await findLabRunEvidence(id, runIds[0] ?? '');
    expect(evidence).toMatchObject({
      labTitle: lab.title,
      taskTitle: lab.tasks[0]?.title,
      seed: 7,
      message: 'p95 stayed under 300 ms',
      runs: [{ label: 'smoke', requests: 1200, checks: [{ name: 'status is 200', passes: 1200, fails: 0 }] }],
    });
    expect(JSON.stringify(evidence)).not.toContain('the learner’s answer');
    // A summary that cannot be read shows the verdict without the tables.
    expect((await findLabRunEvidence(id, runIds[1] ?? ''))?.runs).toEqual([]);
    // Runs the certificate does not cite, unknown certificates and malformed ids: nothing.
    expect(await findLabRunEvidence(id, otherRun)).toBeNull();
    expect(await findLabRunEvidence('0123456789abcdef0123456789abcdef', runIds[0] ?? '')).toBeNull();
    expect(await findLabRunEvidence(id, '../credential')).toBeNull();
  });

  it('shows what the evaluation of an SLO-lab task found, never the learner’s rule file', async () => {
    const t = tag();
    const lab = LABS.find((l) => l.id === 'slo-prometheus');
    const task = lab?.tasks.find((k) => k.kind === 'rules');
    if (!lab || !task) throw new Error('the SLO lab with a rules task is not registered');
    const { userId, attemptId } = await createPassedAttempt(`${t}@example.com`);
    const summary = {
      kind: 'rules',
      datasetDigest: '0123456789abcdef0123',
      precision: 1,
      incidents: [
        { name: 'fast burn', detections: [{ alert: 'SLOErrorBudgetBurnFast', severity: 'page', firedAt: 1, detectionMs: 1_200_000 }] },
      ],
      falseFirings: 0,
      unitTests: { ok: true, groups: 2 },
    };
    const runId = randomUUID();
    await db().labRun.create({
      data: {
        id: runId,
        userId,
        labId: lab.id,
        labVersion: lab.version,
        taskId: task.id,
        seed: 11,
        code: JSON.stringify({ code: 'groups: [] # the learner’s rule file', files: {} }),
        summary: JSON.stringify(summary),
        message: 'Both burns alerted, the blip stayed silent.',
        passed: true,
        verified: true,
        clientDigest: 'd',
        serverDigest: 'abcdef0123456789abcdef',
        verifyMs: 5,
      },
    });
    const id = (await issueCertificateFor(attemptId)) ?? '';
    const evidence = await findLabRunEvidence(id, runId);
    expect(evidence).toMatchObject({
      runs: [],
      evaluation: { kind: 'rules', precision: 1, falseFirings: 0, unitTests: { ok: true, groups: 2 }, incidents: [{ name: 'fast burn' }] },
    });
    expect(JSON.stringify(evidence)).not.toContain('the learner’s rule file');
  });

  it('shows a cluster diagnosis’s parts and SLO figures, never the options the learner chose', async () => {
    const t = tag();
    const lab = LABS.find((l) => l.id === 'database-observability');
    const task = lab?.tasks.find((k) => k.kind === 'cluster');
    if (!lab || !task) throw new Error('the database observability lab is not registered');
    const { userId, attemptId } = await createPassedAttempt(`${t}@example.com`);
    const summary = {
      kind: 'cluster',
      simulation: { incident: '0a1b2c3d', remedy: '4e5f6a7b', series: 473, samples: 681_120 },
      triage: { chosen: 'per-shard-load', pass: true },
      cause: { chosen: 'hot-partition', pass: true },
      evidence: { pass: true, time: 1, ok: true, resultType: 'vector', seriesCount: 3 },
      remediation: { chosen: 'bucket-key', pass: true, sloBefore: 0.42, sloAfter: 1, sloHeld: true },
    };
    const runId = randomUUID();
    await db().labRun.create({
      data: {
        id: runId,
        userId,
        labId: lab.id,
        labVersion: lab.version,
        taskId: task.id,
        seed: 11,
        code: JSON.stringify({
          code: 'topk(3, rate(scylla_cql_reads[5m]))',
          files: { triage: 'per-shard-load', cause: 'hot-partition', remedy: 'bucket-key' },
        }),
        summary: JSON.stringify(summary),
        message: 'Diagnosis complete.',
        passed: true,
        verified: true,
        clientDigest: 'd',
        serverDigest: 'abcdef0123456789abcdef',
        verifyMs: 5,
      },
    });
    const id = (await issueCertificateFor(attemptId)) ?? '';
    const evidence = await findLabRunEvidence(id, runId);
    expect(evidence).toMatchObject({
      runs: [],
      evaluation: { kind: 'cluster', evidence: { pass: true }, remediation: { pass: true, sloBefore: 0.42, sloAfter: 1, sloHeld: true } },
    });
    const json = JSON.stringify(evidence);
    // (The cause's id is also the task's id, in the lab link: the triage and remedy ids stand for the choices.)
    for (const secret of ['per-shard-load', 'bucket-key', 'scylla_cql_reads']) expect(json).not.toContain(secret);
  });

  it('validates the revocation form with messages an instructor can act on', () => {
    const errors = (input: Record<string, string>) =>
      RevokeForm.safeParse(input).error?.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    expect(errors({ certificate: 'nope', reason: 'fine reason' })).toEqual(['certificate: Choose a certificate to revoke.']);
    expect(errors({ certificate: '0123456789abcdef0123456789abcdef', reason: '  x ' })).toEqual([
      'reason: Give a reason of at least 3 characters; the verification page shows it.',
    ]);
    expect(errors({ certificate: '0123456789abcdef0123456789abcdef', reason: 'r'.repeat(501) })).toEqual([
      'reason: Use at most 500 characters.',
    ]);
    expect(RevokeForm.parse({ certificate: ' 0123456789ABCDEF0123456789ABCDEF ', reason: ' cheating ' })).toEqual({
      certificate: '0123456789abcdef0123456789abcdef',
      reason: 'cheating',
    });
  });

  it('finds certificates by part of the e-mail or by id, newest first, and treats % and _ literally', async () => {
    const t = tag();
    const older = await createCertificate(`${t}-ada@example.com`, { issuedAt: new Date(Date.now() - 86_400_000) });
    const newer = await createCertificate(`${t}_bob@example.com`, { name: 'Bob' });
    expect((await listCertificates(t)).map((c) => c.id)).toEqual([newer.id, older.id]);
    expect((await listCertificates(`${t}-ADA`)).map((c) => c.email)).toEqual([`${t}-ada@example.com`]);
    expect((await listCertificates(`${t}_`)).map((c) => c.id)).toEqual([newer.id]);
    expect((await listCertificates(` ${older.id.toUpperCase()} `)).map((c) => c.id)).toEqual([older.id]);
    expect(await listCertificates(`${t}-nobody`)).toEqual([]);
    expect((await listCertificates('')).length).toBeGreaterThanOrEqual(2);
  });

  it('lists a learner’s own certificates with their status, and finds one by its attempt', async () => {
    const t = tag();
    const past = new Date(Date.now() - 3 * 365 * 86_400_000);
    const { id, userId, attemptId } = await createCertificate(`${t}@example.com`, {
      issuedAt: past,
      expiresAt: new Date(past.getTime() + 2 * 365 * 86_400_000),
    });
    expect(await certificatesOf(userId)).toEqual([expect.objectContaining({ id, status: 'expired' })]);
    expect(await certificateIdForAttempt(attemptId)).toBe(id);
    expect(await certificateIdForAttempt(randomUUID())).toBeNull();
    expect(await certificatesOf(randomUUID())).toEqual([]);
  });
});
