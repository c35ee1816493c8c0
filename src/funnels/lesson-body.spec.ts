import { lessonBodyProblems, lessonSummary, renderLessonBody } from './lesson-body';

describe('lesson bodies', () => {
  it('renders Markdown with the student name as text, as sanitised HTML and as plain text', () => {
    const out = renderLessonBody('Welcome, **{{student.name}}**.\n\n[Notes](https://example.com/n)', {
      name: '[click me](javascript:alert(1)) <b>x</b>',
    });
    expect(out.html).toBe(
      '<p>Welcome, <strong>[click me](javascript:alert(1)) &lt;b&gt;x&lt;/b&gt;</strong>.</p>\n<p><a href="https://example.com/n">Notes</a></p>\n',
    );
    expect(out.text).toBe('Welcome, **[click me](javascript:alert(1)) <b>x</b>**.\n\n[Notes](https://example.com/n)');
  });

  it('renders a name the same way whether it lands in text or in a link (rendered per student)', () => {
    const name = '[x](javascript:alert(1)) <b>"Ann" & \'Bo\'</b>\n# not a heading';
    const inText = renderLessonBody('Hi **{{student.name}}**!', { name });
    expect(inText.html).toBe(
      '<p>Hi <strong>[x](javascript:alert(1)) &lt;b&gt;"Ann" &amp; \'Bo\'&lt;/b&gt; # not a heading</strong>!</p>\n',
    );
    const inLink = renderLessonBody('Hi **{{student.name}}**! [me]({{student.name}})', { name });
    expect(inLink.html).toBe(
      '<p>Hi <strong>[x](javascript:alert(1)) &lt;b&gt;"Ann" &amp; \'Bo\'&lt;/b&gt; # not a heading</strong>! [me](' +
        '[x](javascript:alert(1)) &lt;b&gt;"Ann" &amp; \'Bo\'&lt;/b&gt; # not a heading)</p>\n',
    );
    const hostileUrl = renderLessonBody('[me]({{student.name}})', { name: 'javascript:alert(1)' });
    expect(hostileUrl.html).toBe('<p><a>me</a></p>\n');
    expect(renderLessonBody('[me](https://x.example/{{student.name}})', { name: 'a"b' }).html).toBe(
      '<p><a href="https://x.example/a&quot;b">me</a></p>\n',
    );
  });

  it('takes out what an instructor wrote that is not safe', () => {
    const out = renderLessonBody('<script>alert(1)</script>\n\n[x](javascript:alert(1))', { name: 'A' });
    expect(out.html).toBe('<p><a>x</a></p>\n');
  });

  it('has no problem with a body that renders', () => {
    expect(lessonBodyProblems('Hi {{student.name}}\n\n{{#if student.name}}yes{{/if}}')).toEqual([]);
  });

  it('names the line of a body that does not compile', () => {
    const [problem] = lessonBodyProblems('Line one\n\n{{#if student.name}}\nnever closed');
    expect(problem).toMatch(/line 4|line 3/i);
  });

  it('refuses a variable the body does not have, with its line', () => {
    expect(lessonBodyProblems('Hi\n{{student.nmae}}')).toEqual([expect.stringMatching(/"nmae".*line 2/)]);
  });

  it('refuses {{{ }}} and {{& }}: every value in a body is a student’s', () => {
    expect(lessonBodyProblems('Hi\n{{{student.name}}} and {{& student.name}}')).toEqual([
      'line 2: {{{student.name}}} would skip escaping what a student typed; use {{student.name}}',
      'line 2: {{{student.name}}} would skip escaping what a student typed; use {{student.name}}',
    ]);
  });
});

describe('lesson summaries', () => {
  it('is the first paragraph as plain text, without the lines that greet one student', () => {
    const body =
      'Hello {{student.name}}!\n\n# Class 2\n\nTonight: **how children learn** from [play](https://example.com/p) <b>and</b> rest.\n\nMore later.';
    expect(lessonSummary(body)).toBe('Tonight: how children learn from play and rest.');
  });

  it('is cut at the length given, and empty when there is no paragraph', () => {
    expect(lessonSummary('a'.repeat(200), 20)).toBe(`${'a'.repeat(19)}…`);
    expect(lessonSummary('# Only a heading')).toBe('');
  });
});
