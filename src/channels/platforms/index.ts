import { ChatPlatformName } from '../chat-post';
import { ChatPlatform } from './chat-platform';
import { dingtalk } from './dingtalk';
import { feishu } from './feishu';
import { slack } from './slack';
import { webhook } from './webhook';
import { wecom } from './wecom';

export * from './chat-platform';
export { dingtalkSign } from './dingtalk';
export { feishuSign } from './feishu';
export { standardWebhookSignature, webhookSecretKey } from './webhook';

/** Every platform's adapter by name: the outbox worker looks a channel's platform up here. */
export const CHAT_PLATFORM_ADAPTERS: Record<ChatPlatformName, ChatPlatform> = {
  wecom,
  feishu,
  dingtalk,
  slack,
  webhook,
};
