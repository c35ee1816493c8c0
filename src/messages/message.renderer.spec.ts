import { SUPPORTED_LOCALES } from '../common/locale';
import { MESSAGE_KINDS } from './message-kinds';
import { formatMoney } from '../common/money';
import { MessageRenderer } from './message.renderer';
import { sampleMessage } from './message-samples';
import { parseMessageTemplate } from './message-template.rules';

const renderer = new MessageRenderer();
/** Handlebars writes `=` in attribute values as `&#x3D;`; browsers and mail clients decode it. */
const decoded = (html: string) => html.replace(/&#x3D;/g, '=');

describe('message rendering (real templates from templates/messages)', () => {
  const cases = MESSAGE_KINDS.flatMap((kind) => SUPPORTED_LOCALES.map((locale) => [kind, locale] as const));

  it.each(cases)('renders %s in %s with a subject, an HTML part and a text part', (kind, locale) => {
    const message = sampleMessage(kind, locale);
    const out = renderer.render(message, locale);
    expect(out.subject.length).toBeGreaterThan(3);
    expect(out.subject).not.toContain('\n');
    expect(out.html).toContain('<!doctype html>');
    expect(out.html).toContain(`lang="${locale}"`);
    expect(out.html).toContain(message.data.student.name);
    expect(decoded(out.html)).toContain('href="https://course.example.com/u?token=sample"');
    expect(out.text.length).toBeGreaterThan(40);
    expect(out.text).toContain('https://course.example.com/u?token=sample');
    expect(out.text).not.toContain('<p>');
  });

  it('renders the kind-specific content', () => {
    const confirm = renderer.render(sampleMessage('confirm', 'en'), 'en');
    expect(decoded(confirm.html)).toContain('href="https://course.example.com/c?token=sample"');
    const offer = renderer.render(sampleMessage('offer', 'zh-CN'), 'zh-CN');
    expect(offer.subject).toBe('您的专属价格：21 天家庭教育陪伴营 ¥99.00');
    expect(offer.text).toContain('原价 ¥199.00');
    const lesson = renderer.render(sampleMessage('lesson', 'en'), 'en');
    expect(lesson.html).toContain('<strong>Homework</strong>');
    expect(lesson.html).toContain('Welcome, Wang Fang.');
    expect(lesson.text).toContain('**Homework**');
    const welcome = renderer.render(sampleMessage('welcome', 'en'), 'en');
    expect(welcome.text).toContain('- 2026-03-02 20:00 GMT+8: Class 2');
  });

  it('renders the missed-class nudge with the link back to the class', () => {
    const missed = renderer.render(sampleMessage('missed', 'en'), 'en');
    expect(missed.subject).toBe('We missed you at Class 1: The need behind the behaviour');
    expect(missed.text).toContain(
      'The class is still there for you, whenever it suits you:\nhttps://course.example.com/lesson?token=sample',
    );
    expect(decoded(missed.html)).toContain('href="https://course.example.com/lesson?token=sample"');
  });

  it('renders a catch-up as one list of the classes, each with its page', () => {
    const en = renderer.render(sampleMessage('catchup', 'en'), 'en');
    expect(en.subject).toBe('3 + 4 Parenting Bootcamp · March: 2 classes to catch up on');
    expect(en.text).toContain(
      '- Class 1: The need behind the behaviour: https://course.example.com/lesson/v1?token=sample\n' +
        '- Class 2: When feelings run high: https://course.example.com/lesson/v2?token=sample\n',
    );
    expect(decoded(en.html)).toContain(
      '<li><a href="https://course.example.com/lesson/v2?token=sample">Class 2: When feelings run high</a></li>',
    );
    const zh = renderer.render(sampleMessage('catchup', 'zh-CN'), 'zh-CN');
    expect(zh.subject).toBe('3 + 4 家庭教育训练营 · 三月班：2 节已开讲的课程，请补上');
  });

  it('renders graded homework: score, result, penalty and feedback only when there are any, each criterion', () => {
    const graded = renderer.render(sampleMessage('graded', 'en'), 'en');
    expect(graded.subject).toBe('Your homework for Class 1: The need behind the behaviour has been graded');
    expect(graded.text).toContain('Score: 7 / 10 (passed)\nLate-submission penalty: -1\n');
    expect(graded.text).toContain('Feedback from your instructor:\nA thoughtful first observation.');
    expect(graded.text).toContain(
      '- Describes the situation: 5 / 5\n  Clear and concrete.\n- Names the need behind the behaviour: 3 / 5\n\n',
    );
    expect(graded.html).toContain('<li>Names the need behind the behaviour: 3 / 5</li>');
    expect(decoded(graded.html)).toContain('href="https://course.example.com/lesson?token=sample"');
    const zh = renderer.render(sampleMessage('graded', 'zh-CN'), 'zh-CN');
    expect(zh.text).toContain('得分：7 / 10（已通过）\n迟交扣分：1 分');

    const plain = sampleMessage('graded', 'en');
    if (plain.kind !== 'graded') throw new Error('graded sample');
    Object.assign(plain.data.homework, { passed: false, penaltyPoints: 0, feedback: '' });
    const out = renderer.render(plain, 'en');
    expect(out.text).toContain('Score: 7 / 10 (not passed yet)\n\nBy criterion:');
    for (const part of [out.text, out.html]) {
      expect(part).not.toContain('penalty');
      expect(part).not.toContain('Feedback');
    }
  });

  it('escapes instructor feedback in graded homework', () => {
    const message = sampleMessage('graded', 'en');
    if (message.kind !== 'graded') throw new Error('graded sample');
    message.data.homework.feedback = '<img src=x onerror=alert(1)>';
    message.data.homework.criteria[0].feedback = '<b>bold</b>';
    message.data.homework.criteria[0].name = '<i>name</i>';
    const out = renderer.render(message, 'en');
    expect(out.html).not.toMatch(/<img|<b>|<i>/);
    expect(out.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(out.html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(out.html).toContain('&lt;i&gt;name&lt;/i&gt;');
    expect(out.text).toContain('<img src=x onerror=alert(1)>'); // plain text is not HTML
  });

  it('escapes student-supplied text everywhere, lesson bodies included', () => {
    for (const kind of ['confirm', 'lesson', 'catchup', 'missed', 'graded'] as const) {
      const message = sampleMessage(kind, 'en');
      message.data.student.name = '<script>alert(1)</script>';
      const out = renderer.render(message, 'en');
      expect(out.html).not.toContain('<script>');
      expect(out.html).toContain('&lt;script&gt;');
      expect(out.text).toContain('<script>alert(1)</script>'); // plain text is not HTML
    }
  });

  it('refuses data that lacks a variable the template uses (strict mode)', () => {
    const message = sampleMessage('confirm', 'en');
    delete (message.data.links as { confirm?: string }).confirm;
    expect(() => renderer.render(message, 'en')).toThrow(/confirm/);
  });

  it('formats money from minor units in the reader locale', () => {
    expect(formatMoney({ amount: 19900, currency: 'CNY' }, 'zh-CN')).toBe('¥199.00');
    expect(formatMoney({ amount: 4900, currency: 'USD' }, 'en')).toBe('$49.00');
    expect(formatMoney({ amount: 500, currency: 'JPY' }, 'en')).toBe('¥500');
  });

  it('parses the template file format and refuses a malformed one', () => {
    expect(parseMessageTemplate('subject: Hi\n--- html\n<p>x</p>\n--- text\nx\n')).toEqual({
      subject: 'Hi',
      html: '<p>x</p>',
      text: 'x',
    });
    expect(() => parseMessageTemplate('<p>no sections</p>')).toThrow(/subject/);
  });
});
