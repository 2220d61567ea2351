import jsQR from 'jsqr';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderCertificatePdf, renderCertificatePng } from './artwork.server.ts';
import { ACHIEVEMENT_NAME } from './credential.ts';

const certificate = {
  id: '0123456789abcdef0123456789abcdef',
  name: 'Zoë Παπαδοπούλου-Иванова',
  issuedAt: new Date('2026-11-27T10:00:00Z'),
  expiresAt: new Date('2028-11-27T10:00:00Z'),
};
const verifyUrl = 'https://headroom.example/verify/0123456789abcdef0123456789abcdef';

async function pdfText(bytes: Uint8Array): Promise<{ text: string; title: unknown; pages: number }> {
  const document = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false }).promise;
  const page = await document.getPage(1);
  const content = await page.getTextContent();
  const text = content.items.map((item) => ('str' in item ? item.str : '')).join('\n');
  const { info } = await document.getMetadata();
  return { text, title: (info as { Title?: unknown }).Title, pages: document.numPages };
}

describe('the printable certificate (PDF)', () => {
  it('holds the name in any script, the achievement, the dates, the id and the verify address as text', async () => {
    const pdf = await renderCertificatePdf(certificate, verifyUrl);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const { text, title, pages } = await pdfText(pdf);
    expect(pages).toBe(1);
    for (const expected of [certificate.name, ACHIEVEMENT_NAME, '27 November 2026', '27 November 2028', certificate.id, verifyUrl])
      expect(text).toContain(expected);
    expect(title).toBe(`${ACHIEVEMENT_NAME}: ${certificate.name}`);
  });

  it('is the same bytes every time for the same certificate', async () => {
    const [a, b] = [await renderCertificatePdf(certificate, verifyUrl), await renderCertificatePdf(certificate, verifyUrl)];
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
  });

  it('breaks a 120-character name onto two lines rather than running off the page', async () => {
    const name = `${'Maximiliana Wilhelmina '.repeat(5)}Featherstonehaugh`.slice(0, 120);
    const { text } = await pdfText(await renderCertificatePdf({ ...certificate, name }, verifyUrl));
    const lines = text.split('\n').filter((line) => line.trim() && name.includes(line.trim()) && line.trim().length > 20);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(name);
  });
});

describe('the share image (PNG)', () => {
  it('is a 1200×630 PNG whose QR code decodes to the verify address', async () => {
    const png = PNG.sync.read(Buffer.from(await renderCertificatePng(certificate, verifyUrl)));
    expect([png.width, png.height]).toEqual([1200, 630]);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(verifyUrl);
  });

  it('escapes the name into the SVG it is drawn from', async () => {
    const png = await renderCertificatePng({ ...certificate, name: 'Ada <script>&amp; "Lovelace"' }, verifyUrl);
    expect(PNG.sync.read(Buffer.from(png)).width).toBe(1200);
  });
});
