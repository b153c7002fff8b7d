import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderUserText } from './markdown';

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

describe('text users write to each other (module discussions)', () => {
  it('keeps paragraphs and line breaks and links bare http(s) addresses, as links marked as users’', () => {
    expect(renderUserText('First line\nsecond line\n\nSee https://example.org/a?b=1')).toBe(
      '<p class="govuk-body">First line<br />\nsecond line</p>\n<p class="govuk-body">See <a href="https://example.org/a?b=1" class="govuk-link" rel="nofollow ugc noopener noreferrer">https://example.org/a?b=1</a></p>\n',
    );
  });

  it('shows Markdown and HTML as the characters typed: no heading, emphasis, image, script, or link but a bare address', () => {
    const attacks = ['# Big', '**loud**', '[click](javascript:alert(1))', '[ok](https://example.org)', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '![x](https://example.org/x.png)', 'javascript:alert(1)', '<a href="https://x" onclick="alert(1)">x</a>'];
    for (const attack of attacks) {
      const html = renderUserText(attack);
      expect(html).not.toMatch(/<(script|img|iframe|style|h\d|strong|em)|<[^>]*\son\w+=|href="(javascript|data):/i);
      // A link is only ever a bare https address, shown as itself.
      for (const [, href, text] of html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)) expect([href, text]).toEqual([text!.replace(/&amp;/g, '&'), text]);
      expect(html).not.toContain('>click<');
    }
  });
});
