import { describe, expect, it } from 'vitest';
import { aZip } from '../../testing/documents';
import { readAccount } from './read-account';

const TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';
const docx = (body: Buffer) =>
  aZip({ '[Content_Types].xml': Buffer.from(TYPES), '_rels/.rels': Buffer.from(RELS), 'word/document.xml': Buffer.concat([Buffer.from('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'), body, Buffer.from('</w:body></w:document>')]) }, { deflate: true });

describe('reading an account apart from the server', () => {
  it('counts a small Word document', async () => {
    const result = await readAccount(docx(Buffer.from('<w:p><w:r><w:t>Three small words</w:t></w:r></w:p>')), 'docx', []);
    expect(result).toEqual({ count: { total: 3, counted: 3, excluded: {} } });
  });

  it('gives up on a file that unpacks to hundreds of megabytes, and the server goes on answering meanwhile', async () => {
    const paragraph = '<w:p><w:r><w:t>a</w:t></w:r></w:p>';
    const bomb = docx(Buffer.alloc(200 * 1024 * 1024, paragraph));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    let ticks = 0;
    const beat = setInterval(() => ticks++, 50);
    const result = await readAccount(bomb, 'docx', []);
    clearInterval(beat);
    expect(result).toEqual({ fault: 'too_big' });
    // The event loop kept turning while the worker read: the server's other requests would have been answered.
    expect(ticks).toBeGreaterThan(5);
  }, 90_000);

  it('calls bytes that are not a document unreadable', async () => {
    expect(await readAccount(Buffer.from('not a document at all'), 'docx', [])).toEqual({ fault: 'unreadable' });
    expect(await readAccount(Buffer.from('%PDF-1.4 broken'), 'pdf', [])).toEqual({ fault: 'unreadable' });
  });
});
