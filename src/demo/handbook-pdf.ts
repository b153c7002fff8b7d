/**
 * The demo's qualification handbook: a one-page PDF of a few lines of text, so the demo's course
 * material opens in any PDF reader. Written here rather than printed by Chromium (as the 360° report
 * is) because the demo loads at start, where launching a browser would slow every first run.
 */
export function demoHandbookPdf(title: string, lines: string[]): Buffer {
  // PDF strings escape backslashes and brackets; the standard fonts read Latin-1, so anything else becomes "?".
  const text = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\xff]/g, '?');
  const stream = ['BT', '/F1 20 Tf', '72 740 Td', `(${text(title)}) Tj`, '/F1 12 Tf', '0 -32 Td', ...lines.flatMap((l) => [`(${text(l)}) Tj`, '0 -18 Td']), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
