/** A message template file: `subject: ...` on the first line, then `--- html` and `--- text` sections. */
export interface MessageTemplateSource {
  subject: string;
  html: string;
  text: string;
}

export class TemplateFormatError extends Error {}

export function parseMessageTemplate(source: string): MessageTemplateSource {
  const normalised = source.replace(/\r\n/g, '\n');
  const match = /^subject:[ \t]*(.*)\n--- html\n([\s\S]*?)\n--- text\n([\s\S]*)$/.exec(normalised);
  if (!match) {
    throw new TemplateFormatError('a message template is "subject: ..." then a "--- html" and a "--- text" section');
  }
  return { subject: match[1].trim(), html: match[2].trim(), text: match[3].trim() };
}
