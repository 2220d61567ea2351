// The printable certificate (PDF, A4 landscape) and the share image (PNG, 1200×630, the Open Graph
// size), both drawn on the server from the certificate record. Fonts are DejaVu from npm, embedded
// (subset) in the PDF, so a name in Greek or Cyrillic prints as well as one in Latin script and
// nothing depends on the fonts of the machine that serves or opens the file. Only the PDF and PNG
// routes import this module: pdf-lib and resvg take ~0.3 s and ~65 MB to load.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { Resvg } from '@resvg/resvg-js';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { findCertificate, verifyUrlFor } from './certificates.server.ts';
import { ACHIEVEMENT_NAME, CRITERIA_NARRATIVE } from './credential.ts';
import { layoutName, type Measure } from './layout.ts';
import { darkRuns, encodeQr, QUIET_ZONE, qrPath } from './qr.ts';
import { longDate } from './share.ts';

export interface PrintableCertificate {
  id: string;
  name: string;
  issuedAt: Date;
  expiresAt: Date;
}

const FONT_FILES = {
  sans: 'DejaVuSans.ttf',
  sansBold: 'DejaVuSans-Bold.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

const fontDirectory = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fontPath = (name: FontName): string => path.join(fontDirectory, FONT_FILES[name]);

let fontBytes: Promise<Record<FontName, Uint8Array>> | undefined;
function loadFonts(): Promise<Record<FontName, Uint8Array>> {
  fontBytes ??= Promise.all(
    (Object.keys(FONT_FILES) as FontName[]).map(async (name) => [name, new Uint8Array(await readFile(fontPath(name)))] as const),
  ).then((entries) => Object.fromEntries(entries) as Record<FontName, Uint8Array>);
  return fontBytes;
}

/** The largest size up to `max` at which `text` fits `width`. */
function fitSize(measure: Measure, text: string, width: number, max: number): number {
  return Math.min(max, width / Math.max(measure(text), 1e-9));
}

const TEAL = rgb(0x0f / 255, 0x6b / 255, 0x63 / 255);
const INK = rgb(0.11, 0.13, 0.16);
const MUTED = rgb(0.36, 0.4, 0.45);

function drawCentred(page: PDFPage, text: string, font: PDFFont, size: number, y: number, color = INK): void {
  const width = font.widthOfTextAtSize(text, size);
  page.drawText(text, { x: (page.getWidth() - width) / 2, y, size, font, color });
}

function drawLogo(page: PDFPage, x: number, y: number, side: number): void {
  page.drawRectangle({ x, y, width: side, height: side, color: TEAL });
  // The favicon's rising line, in a 32-unit box whose y axis points down (SVG), scaled to `side`.
  page.drawSvgPath('M6 24h20M8 20l5-6 4 3 7-9', {
    x,
    y: y + side,
    scale: side / 32,
    borderColor: rgb(1, 1, 1),
    borderWidth: 2.5,
    borderLineCap: 1,
  });
}

export async function renderCertificatePdf(certificate: PrintableCertificate, verifyUrl: string): Promise<Uint8Array> {
  const fonts = await loadFonts();
  // No automatic metadata: the same certificate always yields the same bytes.
  const document = await PDFDocument.create({ updateMetadata: false });
  document.registerFontkit(fontkit);
  const [sans, sansBold, serifBold, mono] = await Promise.all(
    (['sans', 'sansBold', 'serifBold', 'mono'] as const).map((name) => document.embedFont(fonts[name], { subset: true })),
  );
  if (!sans || !sansBold || !serifBold || !mono) throw new Error('certificate fonts failed to embed');
  document.setTitle(`${ACHIEVEMENT_NAME}: ${certificate.name}`);
  document.setAuthor('Headroom');
  document.setSubject(`Headroom certificate ${certificate.id}; verify at ${verifyUrl}`);
  document.setKeywords(['Headroom', 'certificate', certificate.id]);
  document.setCreator('Headroom');
  document.setProducer('Headroom (pdf-lib)');
  document.setCreationDate(certificate.issuedAt);
  document.setModificationDate(certificate.issuedAt);
  document.setLanguage('en');

  const page = document.addPage([841.89, 595.28]);
  const { width, height } = page.getSize();
  page.drawRectangle({ x: 22, y: 22, width: width - 44, height: height - 44, borderColor: TEAL, borderWidth: 3 });
  page.drawRectangle({ x: 30, y: 30, width: width - 60, height: height - 60, borderColor: TEAL, borderWidth: 0.75 });

  drawLogo(page, 60, height - 92, 30);
  page.drawText('Headroom', { x: 100, y: height - 84, size: 20, font: sansBold, color: INK });

  drawCentred(page, 'CERTIFICATE OF ACHIEVEMENT', sansBold, 13, height - 150, TEAL);
  drawCentred(page, 'This certifies that', sans, 14, height - 195, MUTED);
  const name = layoutName(certificate.name, (text) => serifBold.widthOfTextAtSize(text, 1), width - 180, 40, 22);
  name.lines.forEach((line, index) => {
    drawCentred(page, line, serifBold, name.size, height - 250 + (name.lines.length - 1 - index) * name.size * 1.15);
  });
  page.drawLine({ start: { x: 160, y: height - 266 }, end: { x: width - 160, y: height - 266 }, thickness: 0.75, color: MUTED });
  drawCentred(page, 'has earned', sans, 14, height - 295, MUTED);
  drawCentred(page, ACHIEVEMENT_NAME, sansBold, 24, height - 332, TEAL);
  drawCentred(page, CRITERIA_NARRATIVE, sans, 11, height - 360, MUTED);

  const left = 60;
  const lines: [string, string, PDFFont][] = [
    ['Issued', longDate(certificate.issuedAt), sans],
    ['Valid until', longDate(certificate.expiresAt), sans],
    ['Certificate id', certificate.id, mono],
  ];
  lines.forEach(([label, value, font], index) => {
    const y = 150 - index * 22;
    page.drawText(label, { x: left, y, size: 10, font: sansBold, color: MUTED });
    page.drawText(value, { x: left + 90, y, size: 11, font, color: INK });
  });
  page.drawText('Verify this certificate at', { x: left, y: 70, size: 9, font: sans, color: MUTED });
  const urlSize = fitSize((text) => mono.widthOfTextAtSize(text, 1), verifyUrl, 520, 9);
  page.drawText(verifyUrl, { x: left + 112, y: 70, size: urlSize, font: mono, color: INK });

  const matrix = encodeQr(verifyUrl);
  const qrSide = 120;
  const module = qrSide / (matrix.size + 2 * QUIET_ZONE);
  const qrX = width - 60 - qrSide;
  const qrY = 58;
  for (const [x, y, runWidth] of darkRuns(matrix))
    page.drawRectangle({
      x: qrX + x * module,
      y: qrY + qrSide - (y + 1) * module,
      width: runWidth * module,
      height: module,
      color: rgb(0, 0, 0),
    });
  const caption = 'Scan to verify';
  page.drawText(caption, { x: qrX + (qrSide - sans.widthOfTextAtSize(caption, 9)) / 2, y: qrY - 10, size: 9, font: sans, color: MUTED });

  return document.save();
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

let serifBoldMetrics: Promise<fontkit.Font> | undefined;
async function measureSerifBold(): Promise<Measure> {
  serifBoldMetrics ??= loadFonts().then((fonts) => fontkit.create(fonts.serifBold));
  const font = await serifBoldMetrics;
  return (text) => font.layout(text).advanceWidth / font.unitsPerEm;
}

/** The share image: the name, the achievement, the date and a QR code to the verification page. */
export async function renderCertificatePng(certificate: PrintableCertificate, verifyUrl: string): Promise<Uint8Array> {
  const name = layoutName(certificate.name, await measureSerifBold(), 760, 64, 40);
  // Baselines: one line sits at 300 + size/4; two lines share the band from 250 to 330.
  const baselines = name.lines.length === 1 ? [300 + name.size / 4] : [282, 282 + name.size * 1.15];
  const nameText = name.lines
    .map(
      (line, index) =>
        `<text x="80" y="${(baselines[index] ?? 300).toFixed(1)}" font-family="DejaVu Serif" font-weight="bold" font-size="${name.size.toFixed(1)}" fill="#1c2129">${xml(line)}</text>`,
    )
    .join('');
  const matrix = encodeQr(verifyUrl);
  const side = matrix.size + 2 * QUIET_ZONE;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<rect width="1200" height="630" fill="#f7f9fa"/>
<rect x="18" y="18" width="1164" height="594" fill="none" stroke="#0f6b63" stroke-width="6"/>
<rect x="30" y="30" width="1140" height="570" fill="none" stroke="#0f6b63" stroke-width="1.5"/>
<g transform="translate(80 72)"><rect width="56" height="56" rx="10" fill="#0f6b63"/><path transform="scale(1.75)" d="M6 24h20M8 20l5-6 4 3 7-9" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></g>
<text x="156" y="114" font-family="DejaVu Sans" font-weight="bold" font-size="38" fill="#1c2129">Headroom</text>
<text x="80" y="220" font-family="DejaVu Sans" font-weight="bold" font-size="24" fill="#0f6b63">CERTIFICATE OF ACHIEVEMENT</text>
${nameText}
<text x="80" y="390" font-family="DejaVu Sans" font-size="28" fill="#5c6673">has earned</text>
<text x="80" y="440" font-family="DejaVu Sans" font-weight="bold" font-size="36" fill="#0f6b63">${xml(ACHIEVEMENT_NAME)}</text>
<text x="80" y="540" font-family="DejaVu Sans" font-size="24" fill="#5c6673">Issued ${xml(longDate(certificate.issuedAt))} · verify at ${xml(new URL(verifyUrl).host)}</text>
<g transform="translate(880 70) scale(${(240 / side).toFixed(4)})"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" shape-rendering="crispEdges" d="${qrPath(matrix)}"/></g>
</svg>`;
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: (['sans', 'sansBold', 'serifBold'] as const).map(fontPath),
      defaultFontFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}

export type ArtworkKind = 'pdf' | 'png';
export type Artwork = { status: 'ok'; bytes: Uint8Array } | { status: 'not-found' } | { status: 'revoked' };

// Rendering embeds fonts and takes ~100 ms; the bytes depend only on the certificate and the
// address, so recent ones are kept (≤ 64 × ~50 KB). Status is read from the database every time.
const ARTWORK_CACHE_SIZE = 64;
const artworkCache = new Map<string, Uint8Array>();

/** The printable PDF or share PNG of a certificate; none for a revoked one, which must not circulate. */
export async function certificateArtwork(id: string, kind: ArtworkKind, siteUrl: string): Promise<Artwork> {
  const certificate = await findCertificate(id);
  if (!certificate) return { status: 'not-found' };
  if (certificate.status === 'revoked') return { status: 'revoked' };
  const key = `${kind} ${id} ${siteUrl}`;
  let bytes = artworkCache.get(key);
  if (bytes) {
    artworkCache.delete(key);
  } else {
    const render = kind === 'pdf' ? renderCertificatePdf : renderCertificatePng;
    bytes = await render(certificate, verifyUrlFor(id, siteUrl));
    if (artworkCache.size >= ARTWORK_CACHE_SIZE) artworkCache.delete(artworkCache.keys().next().value as string);
  }
  artworkCache.set(key, bytes);
  return { status: 'ok', bytes };
}
