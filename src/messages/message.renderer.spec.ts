import { SUPPORTED_LOCALES } from '../common/locale';
import { MESSAGE_KINDS } from './message-kinds';
import { formatMoney, MessageRenderer } from './message.renderer';
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

  it('escapes student-supplied text everywhere, lesson bodies included', () => {
    for (const kind of ['confirm', 'lesson'] as const) {
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
