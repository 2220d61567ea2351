import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { darkRuns, encodeQr, QUIET_ZONE, qrSvg } from './qr.ts';

/** Paints the matrix (with its quiet zone) as RGBA pixels, `scale` pixels per module. */
function rasterise(text: string, scale = 4): { data: Uint8ClampedArray; side: number } {
  const matrix = encodeQr(text);
  const side = (matrix.size + 2 * QUIET_ZONE) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [x, y, width] of darkRuns(matrix))
    for (let py = y * scale; py < (y + 1) * scale; py += 1)
      for (let px = x * scale; px < (x + width) * scale; px += 1) data.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
  return { data, side };
}

describe('QR codes', () => {
  it('encode the verification address so that a QR reader decodes it exactly', () => {
    for (const url of [
      'http://localhost:4321/verify/0123456789abcdef0123456789abcdef',
      'https://headroom.example/verify/ffffffffffffffffffffffffffffffff',
    ]) {
      const { data, side } = rasterise(url);
      expect(jsQR(data, side, side)?.data).toBe(url);
    }
  });

  it('draw runs that cover exactly the dark modules', () => {
    const matrix = encodeQr('https://headroom.example/verify/0123456789abcdef0123456789abcdef');
    let dark = 0;
    for (let row = 0; row < matrix.size; row += 1)
      for (let column = 0; column < matrix.size; column += 1) if (matrix.isDark(row, column)) dark += 1;
    expect(darkRuns(matrix).reduce((sum, [, , width]) => sum + width, 0)).toBe(dark);
    // Finder pattern: the top-left 7×7 square's first row is one run of 7.
    expect(darkRuns(matrix)[0]).toEqual([QUIET_ZONE, QUIET_ZONE, 7]);
  });

  it('label the SVG for assistive technology and escape the label', () => {
    const svg = qrSvg('https://headroom.example/verify/x', 'QR code for "A & B" <page>');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="QR code for &quot;A &amp; B&quot; &lt;page>"');
  });
});
