import Handlebars from 'handlebars';
import { marked, Token, Tokens } from 'marked';
import { htmlText, markdownText, renderMarkdown } from '../common/safe-html';
import { templateErrorDetail, unescapedOutputs } from '../common/template-rules';

/** What a lesson body may refer to: `{{student.name}}`. */
export interface LessonBodyStudent {
  name: string;
}

const SAMPLE_STUDENT: LessonBodyStudent = { name: 'Sample Student' };

// Stands for the student's name while a body's Markdown is rendered once for everyone: letters and
// digits only, which Markdown and the sanitiser leave as they are.
const NAME_MARK = 'cfname7f3a9c';
const MARK_IN_TAG = new RegExp(`<[^>]*${NAME_MARK}`);

/** A body compiled, and its HTML rendered once with the mark for the name (null: made per student). */
interface PreparedBody {
  template: HandlebarsTemplateDelegate;
  markedHtml: string | null;
}

// One isolated instance; each body prepared once (a lesson goes to thousands of students in a row).
const handlebars = Handlebars.create();
const prepared = new Map<string, PreparedBody>();

function prepare(source: string): PreparedBody {
  let body = prepared.get(source);
  if (!body) {
    if (prepared.size >= 500) prepared.clear();
    // Values are escaped before they go in (for Markdown, or not at all for plain text), so
    // Handlebars' own HTML escaping is off; strict: a variable the body does not have is an error.
    const template = handlebars.compile(source, { strict: true, noEscape: true });
    const html = renderMarkdown(template({ student: { name: NAME_MARK } }));
    // Where the name lands inside a tag (a link's URL, say), the HTML is made per student instead:
    // whether it is a safe URL depends on the name.
    body = { template, markedHtml: MARK_IN_TAG.test(html) ? null : html };
    prepared.set(source, body);
  }
  return body;
}

/**
 * A lesson body (Markdown with handlebars variables) as sanitised HTML and as plain text, for mail
 * and pages. What a student typed goes in as text, so it stays text after rendering: put into text
 * nodes of HTML rendered once per body, or (where it lands in a tag) as Markdown text per student.
 */
export function renderLessonBody(body: string, student: LessonBodyStudent): { html: string; text: string } {
  const { template, markedHtml } = prepare(body);
  return {
    html:
      markedHtml !== null
        ? markedHtml.split(NAME_MARK).join(htmlText(student.name.replace(/\s+/g, ' ')))
        : renderMarkdown(template({ student: { name: markdownText(student.name) } })),
    text: template({ student: { name: student.name } }),
  };
}

/**
 * Why a lesson body can never be sent, or nothing: it does not compile, refers to a variable it
 * does not have, or writes a value with `{{{ }}}` (every value in a body is a student's).
 */
export function lessonBodyProblems(body: string): string[] {
  try {
    const unescaped = unescapedOutputs(body);
    if (unescaped.length > 0) {
      return unescaped.map(
        (u) =>
          `line ${u.line}: {{{${u.expression}}}} would skip escaping what a student typed; use {{${u.expression}}}`,
      );
    }
    renderLessonBody(body, SAMPLE_STUDENT);
    return [];
  } catch (error) {
    return [templateErrorDetail(error)];
  }
}

/** Inline Markdown tokens as the words a reader sees: link and emphasis text kept, markup and HTML dropped. */
function plainWords(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'html') return '';
      if ('tokens' in token && token.tokens) return plainWords(token.tokens);
      return 'text' in token ? String(token.text) : '';
    })
    .join('');
}

/**
 * A lesson's one-line summary for places that show no body (a group chat's "class released"):
 * the first paragraph as plain text, at most `maxLength` characters. Lines with variables are
 * left out, as the summary is shown to everyone, not to one student.
 */
export function lessonSummary(body: string, maxLength = 120): string {
  const withoutVariables = body
    .split(/\r?\n/)
    .filter((line) => !line.includes('{{'))
    .join('\n');
  const paragraph = marked.lexer(withoutVariables).find((t): t is Tokens.Paragraph => t.type === 'paragraph');
  const text = paragraph ? plainWords(paragraph.tokens).replace(/\s+/g, ' ').trim() : '';
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}
