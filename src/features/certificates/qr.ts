// QR codes for certificates: one module matrix, drawn as SVG on the page and the share image and
// as rectangles in the PDF, so every copy points to the same verification address.
import QRCode from 'qrcode';

/** Modules of white border the QR specification asks for around the symbol. */
export const QUIET_ZONE = 4;

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  isDark: (row: number, column: number) => boolean;
}

export function encodeQr(text: string): QrMatrix {
  // Level M recovers from 15 % damage: enough for a printed page, and keeps the symbol small.
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, isDark: (row, column) => modules.get(row, column) === 1 };
}

/** Horizontal runs of dark modules per row, offset by the quiet zone: [x, y, width]. */
export function darkRuns(matrix: QrMatrix): [number, number, number][] {
  const runs: [number, number, number][] = [];
  for (let row = 0; row < matrix.size; row += 1) {
    let start = -1;
    for (let column = 0; column <= matrix.size; column += 1) {
      const dark = column < matrix.size && matrix.isDark(row, column);
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        runs.push([start + QUIET_ZONE, row + QUIET_ZONE, column - start]);
        start = -1;
      }
    }
  }
  return runs;
}

/** An SVG path drawing the dark modules in a (size + 2 × quiet zone)² user space. */
export function qrPath(matrix: QrMatrix): string {
  return darkRuns(matrix)
    .map(([x, y, width]) => `M${x} ${y}h${width}v1h-${width}z`)
    .join('');
}

/** A standalone SVG of the code: dark modules on a white square, labelled for assistive technology. */
export function qrSvg(text: string, label: string): string {
  const matrix = encodeQr(text);
  const side = matrix.size + 2 * QUIET_ZONE;
  const escaped = label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" role="img" aria-label="${escaped}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${qrPath(matrix)}"/></svg>`;
}
