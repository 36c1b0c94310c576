/** Telling a message key from any other string — against the whole catalogue, so not on the first screen. */
import { zhCN, type MessageKey } from './zh-CN.ts';

export function isMessageKey(k: unknown): k is MessageKey {
  return typeof k === 'string' && Object.hasOwn(zhCN, k);
}
