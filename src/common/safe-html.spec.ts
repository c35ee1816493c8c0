import { markdownText, renderMarkdown, sanitizeMailHtml } from './safe-html';

describe('Markdown output keeps only safe HTML', () => {
  it('drops scripts, event handlers and unsafe URL schemes, keeps ordinary formatting and links', () => {
    const html = renderMarkdown(
      [
        '# Class 1',
        '**bold** and [notes](https://example.com/n) and [mail](mailto:t@example.com)',
        '[bad](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [rel](//evil.example)',
        '<script>alert(1)</script><img src="x" onerror="alert(1)"><iframe src="https://e.example"></iframe>',
        '<a href="JaVaScRiPt:alert(1)">caps</a> <div style="position:fixed">styled</div>',
      ].join('\n\n'),
    );
    expect(html).toContain('<h1>Class 1</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<a href="https://example.com/n">notes</a>');
    expect(html).toContain('<a href="mailto:t@example.com">mail</a>');
    expect(html).not.toMatch(/javascript|data:|\/\/evil|<script|onerror|<iframe|style=/i);
    expect(html).toContain('<a>bad</a>');
  });

  it('keeps an instructor mail layout (tables, inline styles) but not its scripts or javascript: links', () => {
    const html = sanitizeMailHtml(
      '<table width="100%" cellpadding="4"><tr><td style="color:red" align="center"><a href="javascript:x()" target="_blank">go</a></td></tr></table><script>x()</script>',
    );
    expect(html).toContain('<table width="100%" cellpadding="4">');
    expect(html).toContain('<td style="color:red" align="center">');
    expect(html).not.toMatch(/javascript|<script/);
  });
});

describe('markdownText (a student value inside Markdown)', () => {
  const asText = (value: string) => renderMarkdown(`Hello ${markdownText(value)}!`);

  it.each([
    ['[click me](javascript:alert(1))', '[click me](javascript:alert(1))'],
    ['**loud** _quiet_ `code`', '**loud** _quiet_ `code`'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['www.evil.example and a@b.example', 'www.evil.example and a@b.example'],
    ['https://evil.example/x', 'https://evil.example/x'],
    ['O\'Brien & "Sons"', 'O\'Brien &amp; "Sons"'],
  ])('renders %j as that text, with no markup', (value, shown) => {
    const html = asText(value);
    expect(html).toBe(`<p>Hello ${shown}!</p>\n`);
  });

  it('keeps a value on one line, so it cannot open a heading or a list', () => {
    expect(asText('x\n# Heading\n- item')).toBe('<p>Hello x # Heading - item!</p>\n');
  });

  it('stays inside its quotes in raw HTML', () => {
    const html = renderMarkdown(`<p title="${markdownText('x" onclick="alert(1)')}">hi</p>`);
    expect(html).not.toContain('onclick');
  });
});
