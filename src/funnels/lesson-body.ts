import Handlebars from 'handlebars';
import { markdownText, renderMarkdown } from '../common/safe-html';
import { templateErrorDetail, unescapedOutputs } from '../common/template-rules';

/** What a lesson body may refer to: `{{student.name}}`. */
export interface LessonBodyStudent {
  name: string;
}

const SAMPLE_STUDENT: LessonBodyStudent = { name: 'Sample Student' };

// One isolated instance; bodies compiled once each (a lesson goes to thousands of students in a row).
const handlebars = Handlebars.create();
const compiled = new Map<string, HandlebarsTemplateDelegate>();

function compiledBody(source: string): HandlebarsTemplateDelegate {
  let template = compiled.get(source);
  if (!template) {
    if (compiled.size >= 500) compiled.clear();
    // Values are escaped before they go in (for Markdown, or not at all for plain text), so
    // Handlebars' own HTML escaping is off; strict: a variable the body does not have is an error.
    template = handlebars.compile(source, { strict: true, noEscape: true });
    compiled.set(source, template);
  }
  return template;
}

/**
 * A lesson body (Markdown with handlebars variables) as sanitised HTML and as plain text, for mail
 * and pages. What a student typed goes in as Markdown text, so it stays text after rendering.
 */
export function renderLessonBody(body: string, student: LessonBodyStudent): { html: string; text: string } {
  const template = compiledBody(body);
  return {
    html: renderMarkdown(template({ student: { name: markdownText(student.name) } })),
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
