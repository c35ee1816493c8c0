import { Locale } from '../common/locale';

/** The words of the student pages, per locale. */
export const PAGE_TEXT = {
  'zh-CN': {
    confirmTitle: '确认报名',
    confirmBody: (cohort: string) => `请确认您要参加“${cohort}”。`,
    confirmButton: '确认报名',
    confirmedTitle: '报名成功',
    confirmedBody: (cohort: string) => `您已确认参加“${cohort}”。课程会按下面的时间发送到您的邮箱：`,
    unsubscribeTitle: '退订邮件',
    unsubscribeBody: '确认后，我们将不再给您发送任何课程邮件。',
    unsubscribeButton: '确认退订',
    unsubscribedTitle: '已退订',
    unsubscribedBody: '您已退订，不会再收到我们的邮件。',
    problemTitle: '链接无效',
  },
  en: {
    confirmTitle: 'Confirm your place',
    confirmBody: (cohort: string) => `Please confirm that you want to join “${cohort}”.`,
    confirmButton: 'Confirm my place',
    confirmedTitle: 'You are in',
    confirmedBody: (cohort: string) =>
      `Your place in “${cohort}” is confirmed. Classes arrive by email at these times:`,
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeBody: 'Once you confirm, we will send you no more course emails.',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'Unsubscribed',
    unsubscribedBody: 'You are unsubscribed and will receive no more emails from us.',
    problemTitle: 'This link does not work',
  },
} satisfies Record<Locale, unknown>;
