import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('Markdown as pages show it', () => {
  it('renders headings, lists and links with GOV.UK classes', () => {
    const html = renderMarkdown('# Title\n\n## Part\n\nSome *text* and [a link](https://example.org).\n\n- one\n- two');
    expect(html).toContain('<h2 class="govuk-heading-m">Title</h2>');
    expect(html).toContain('<p class="govuk-body">Some <em>text</em> and <a href="https://example.org" class="govuk-link" rel="noopener noreferrer">a link</a>.</p>');
    expect(html).toContain('<ul class="govuk-list govuk-list--bullet">');
  });

  it('never lets script, raw HTML, event handlers or javascript: links through', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '<a href="https://x" onclick="alert(1)">x</a>',
      '<style>body{display:none}</style>',
      '<iframe src="https://evil.example"></iframe>',
    ];
    for (const attack of attacks) {
      const html = renderMarkdown(attack);
      // Raw HTML is shown as text (escaped); no element, handler or link of it survives.
      expect(html).not.toMatch(/<(script|img|iframe|style)|<[^>]*\son\w+=|href="(javascript|data):/i);
    }
  });
});
