import { SUPPORTED_LOCALES } from '../common/locale';
import { CHAT_POST_KINDS, ChatPostData } from './chat-post';
import {
  ChatPostRenderer,
  ChatTemplateError,
  escapeInline,
  parseChatTemplate,
  parseInline,
} from './chat-post.renderer';

const renderer = new ChatPostRenderer();
const HOSTILE = '**x** [click](http://evil.example) <b>hi</b> @all';

describe('chat post rendering (real templates from templates/channels)', () => {
  const cases = CHAT_POST_KINDS.flatMap((kind) => SUPPORTED_LOCALES.map((locale) => [kind, locale] as const));

  it.each(cases)('renders %s in %s with its sample: a title, lines, the cohort named', (kind, locale) => {
    const sample = renderer.sample(kind, locale);
    const post = renderer.render(sample, locale);
    expect(post.kind).toBe(kind);
    expect(post.locale).toBe(locale);
    expect(post.title.length).toBeGreaterThan(5);
    expect(post.title).not.toMatch(/[\n*\\]/);
    expect(post.lines.length).toBeGreaterThan(0);
    for (const line of post.lines) expect(line.every((run) => run.text.length > 0)).toBe(true);
    const text = [post.title, ...post.lines.map((line) => line.map((run) => run.text).join(''))].join('\n');
    expect(text).not.toMatch(/\*\*|\\|\{\{|undefined/);
    if (post.action) {
      expect(post.action.label.length).toBeGreaterThan(1);
      expect(post.action.url).toMatch(/^https:\/\/course\.example\.com\//);
    }
    if ('lesson' in sample.data) expect(text).toContain(sample.data.lesson.title);
  });

  it('renders the kind-specific content in natural words', () => {
    const opening = renderer.render(renderer.sample('opening', 'zh-CN'), 'zh-CN');
    expect(opening.title).toBe('第 2 课《情绪来了怎么办》2026-03-02 20:00 开始');
    expect(opening.lines[0]).toEqual([
      { text: '各位家长好！3 + 4 家庭教育训练营 · 三月班 第 2 课 ' },
      { text: '《情绪来了怎么办》', bold: true },
      { text: ' 将于 ' },
      { text: '2026-03-02 20:00', bold: true },
      { text: '（Asia/Shanghai）开始。' },
    ]);
    expect(opening.action).toEqual({ label: '进入课堂', url: 'https://course.example.com/g/c-march/lesson/2' });

    const milestone = renderer.render(renderer.sample('milestone', 'zh-CN'), 'zh-CN');
    expect(milestone.title).toBe('已有 30 位同学打卡第 2 课');
    expect(milestone.action).toBeUndefined();

    const offer = renderer.render(renderer.sample('offer', 'en'), 'en');
    expect(offer.lines[1].map((run) => run.text).join('')).toContain('list price CN¥199.00');
    const offerZh = renderer.render(renderer.sample('offer', 'zh-CN'), 'zh-CN');
    expect(offerZh.lines[1].map((run) => run.text).join('')).toContain('原价 ¥199.00');
  });

  it('leaves out the summary line of a released class whose summary is empty', () => {
    const sample = renderer.sample('released', 'en') as Extract<ChatPostData, { kind: 'released' }>;
    const full = renderer.render(sample, 'en');
    const empty = renderer.render(
      { ...sample, data: { ...sample.data, lesson: { ...sample.data.lesson, summary: '' } } },
      'en',
    );
    expect(empty.lines.length).toBe(full.lines.length - 1);
  });

  it('keeps values people typed as text: no bold, no link, no new line or section from a value', () => {
    const sample = renderer.sample('released', 'zh-CN') as Extract<ChatPostData, { kind: 'released' }>;
    const post = renderer.render(
      {
        kind: 'released',
        data: {
          cohort: { name: `${HOSTILE} \\` },
          lesson: { number: 2, title: HOSTILE, summary: `line one\n--- action\n[win](http://evil.example)` },
          links: sample.data.links,
        },
      },
      'zh-CN',
    );
    expect(post.title).toBe(`第 2 课《${HOSTILE}》已上线`);
    // The title stays one bold run, the hostile markup inside it plain characters.
    expect(post.lines[0]).toContainEqual({ text: `《${HOSTILE}》`, bold: true });
    const links = post.lines.flat().filter((run) => 'url' in run);
    expect(links).toEqual([]);
    expect(post.lines).toHaveLength(2);
    expect(post.lines[1]).toEqual([{ text: '本课要点：line one --- action [win](http://evil.example)' }]);
    expect(post.action).toEqual({ label: '开始学习', url: sample.data.links.lesson });

    const test = renderer.render({ kind: 'test', data: { cohort: { name: 'C' }, channel: { name: HOSTILE } } }, 'en');
    expect(test.title).toBe(`Test message: ${HOSTILE}`);
    expect(test.lines[1]).toEqual([
      { text: `If you can read it, the group channel “${HOSTILE}” is set up correctly ✅` },
    ]);
  });

  it('is strict: a missing value is an error, never an empty string', () => {
    const sample = renderer.sample('opening', 'en') as Extract<ChatPostData, { kind: 'opening' }>;
    const { checkIn: _checkIn, ...withoutCheckIn } = sample.data;
    expect(() => renderer.render({ kind: 'opening', data: withoutCheckIn } as unknown as ChatPostData, 'en')).toThrow(
      new ChatTemplateError('opening.en body: "opensLocal" not defined in undefined (line 2, column 20)'),
    );
    const offer = renderer.sample('offer', 'zh-CN') as Extract<ChatPostData, { kind: 'offer' }>;
    const { listPrice: _price, ...offerWithoutPrice } = offer.data.offer;
    expect(() =>
      renderer.render(
        { kind: 'offer', data: { ...offer.data, offer: offerWithoutPrice } } as unknown as ChatPostData,
        'zh-CN',
      ),
    ).toThrow(ChatTemplateError);
  });
});

describe('chat template rules', () => {
  it('parses the sections, the action optional', () => {
    expect(parseChatTemplate('title: T {{a}}\n--- body\nline\n--- action\n[Go]({{u}})\n')).toEqual({
      title: 'T {{a}}',
      body: 'line',
      action: '[Go]({{u}})',
    });
    expect(parseChatTemplate('title: T\r\n--- body\r\none\r\ntwo')).toEqual({
      title: 'T',
      body: 'one\ntwo',
      action: null,
    });
    expect(() => parseChatTemplate('subject: T\n--- body\nx')).toThrow(ChatTemplateError);
  });

  it('reads the inline syntax: bold, links, escapes', () => {
    expect(parseInline('a **b** [c](https://x.example/(1)) \\*d\\*')).toEqual([
      { text: 'a ' },
      { text: 'b', bold: true },
      { text: ' ' },
      { text: 'c', url: 'https://x.example/(1' },
      { text: ') *d*' },
    ]);
    expect(parseInline('[c](https://x.example/\\(1\\))')).toEqual([{ text: 'c', url: 'https://x.example/(1)' }]);
    expect(parseInline('[not a link] (x)')).toEqual([{ text: '[not a link] (x)' }]);
    expect(() => parseInline('**open')).toThrow(ChatTemplateError);
    expect(() => parseInline('[x](javascript:alert(1))')).toThrow(ChatTemplateError);
  });

  it('escapes a value so that parsing gives it back as one text run', () => {
    for (const value of [HOSTILE, 'a\\b', '[[x]]((y))', '**', '\\']) {
      expect(parseInline(escapeInline(value))).toEqual([{ text: value }]);
    }
  });
});
