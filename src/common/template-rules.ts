import Handlebars from 'handlebars';

/** A `{{{ }}}` or `{{& }}` output: what it writes and on which line of the template. */
export interface UnescapedOutput {
  expression: string;
  line: number;
}

/**
 * The outputs of a Handlebars template that skip HTML escaping, except plain references to one of
 * `trusted` (values the application rendered itself, such as a lesson body's sanitised HTML).
 * A helper call is never trusted: `{{{lookup student 'name'}}}` would reach a student's value.
 * Throws Handlebars' parse error when the source does not parse.
 */
export function unescapedOutputs(source: string, trusted: ReadonlySet<string> = new Set()): UnescapedOutput[] {
  const found: UnescapedOutput[] = [];
  class Finder extends Handlebars.Visitor {
    override MustacheStatement(mustache: hbs.AST.MustacheStatement): void {
      const path = mustache.path.type === 'PathExpression' ? (mustache.path as hbs.AST.PathExpression).original : '';
      const plainReference = mustache.params.length === 0 && !mustache.hash;
      if (!mustache.escaped && !(plainReference && trusted.has(path))) {
        found.push({ expression: path || mustache.path.type, line: mustache.loc.start.line });
      }
      super.MustacheStatement(mustache);
    }
  }
  new Finder().accept(Handlebars.parse(source));
  return found;
}

/** Handlebars' own error, with its ` - line:column` suffix said in words and on one line. */
export function templateErrorDetail(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return detail
    .replace(/ - (\d+):(\d+)$/, ' (line $1, column $2)')
    .replace(/\s+/g, ' ')
    .trim();
}
