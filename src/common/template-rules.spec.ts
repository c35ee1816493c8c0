import { templateErrorDetail, unescapedOutputs } from './template-rules';

describe('unescapedOutputs', () => {
  it('finds {{{ }}} and {{& }} with their lines, and leaves escaped outputs alone', () => {
    expect(unescapedOutputs('Hi {{student.name}}\n{{{student.name}}}\n\n{{& student.email}}')).toEqual([
      { expression: 'student.name', line: 2 },
      { expression: 'student.email', line: 4 },
    ]);
  });

  it('looks inside blocks', () => {
    expect(unescapedOutputs('{{#if a}}\n{{#each b}}{{{this}}}{{/each}}{{/if}}')).toEqual([
      { expression: 'this', line: 2 },
    ]);
  });

  it('lets trusted values through as plain references only, never through a helper', () => {
    const trusted = new Set(['lesson.bodyHtml']);
    expect(unescapedOutputs('{{{lesson.bodyHtml}}}', trusted)).toEqual([]);
    expect(unescapedOutputs("{{{lookup student 'name'}}}", trusted)).toEqual([{ expression: 'lookup', line: 1 }]);
    expect(unescapedOutputs('{{{lesson.bodyHtml extra}}}', trusted)).toEqual([
      { expression: 'lesson.bodyHtml', line: 1 },
    ]);
  });

  it('throws the parse error of a template that does not parse', () => {
    expect(() => unescapedOutputs('{{#if a}}open')).toThrow(/Parse error|doesn't match/);
  });
});

describe('templateErrorDetail', () => {
  it("says Handlebars' line and column in words, on one line", () => {
    expect(templateErrorDetail(new Error('"x" not defined in [object Object] - 3:7'))).toBe(
      '"x" not defined in [object Object] (line 3, column 7)',
    );
    expect(templateErrorDetail(new Error('Parse error on line 2:\n{{#if}\n--^'))).toBe(
      'Parse error on line 2: {{#if} --^',
    );
  });
});
