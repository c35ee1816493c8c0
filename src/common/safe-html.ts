import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// sanitize-html is pinned to 2.17.5: later releases need Node 22, and we support Node 20.

/** Links and images may point only here: no javascript:, data: or protocol-relative URLs. */
const SAFE_SCHEMES = ['http', 'https', 'mailto'];

/** What Markdown may produce, and nothing else: no scripts, styles, forms, frames or event handlers. */
const MARKDOWN_HTML: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'input'],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    ol: ['start'],
    td: ['align'],
    th: ['align'],
    input: ['type', 'checked', 'disabled'],
    code: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: SAFE_SCHEMES,
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
};

/** An instructor's mail HTML (a message override): layout attributes and inline styles too. */
const MAIL_HTML: sanitizeHtml.IOptions = {
  ...MARKDOWN_HTML,
  allowedAttributes: {
    ...(MARKDOWN_HTML.allowedAttributes as Record<string, string[]>),
    '*': ['style', 'align', 'dir', 'lang'],
    a: ['href', 'title', 'target'],
    table: ['width', 'border', 'cellpadding', 'cellspacing', 'role', 'bgcolor'],
    td: ['align', 'valign', 'width', 'colspan', 'rowspan', 'bgcolor'],
    th: ['align', 'valign', 'width', 'colspan', 'rowspan', 'bgcolor'],
  },
  allowedClasses: {},
};

/** Markdown rendered to HTML that keeps only safe tags, attributes and URL schemes. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(marked.parse(source, { async: false }), MARKDOWN_HTML);
}

/** HTML an instructor wrote for mail, with scripts, handlers and unsafe URLs taken out. */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, MAIL_HTML);
}

// ASCII punctuation but the five HTML-special characters: CommonMark lets each be backslash-escaped.
const MARKDOWN_PUNCTUATION = /[\x21\x23-\x25\x28-\x2F\x3A\x3B\x3D\x3F\x40\x5B-\x60\x7B-\x7E]/g;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * A value (what a student typed) as Markdown that renders as exactly that text: no links, emphasis,
 * HTML or autolinks, and on one line, so it cannot start a heading or a list. The HTML-special
 * characters become entities rather than backslash escapes, so the value stays text (and stays
 * inside its quotes) also where the Markdown around it is raw HTML.
 */
export function markdownText(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .replace(MARKDOWN_PUNCTUATION, '\\$&')
    .replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/** A value as HTML text content (between tags, never in an attribute). */
export function htmlText(value: string): string {
  return value.replace(/[&<>]/g, (c) => HTML_ENTITIES[c]);
}
