/**
 * The Chinese catalogue — the source of every visible string and of the key set; `en.ts`
 * must have exactly the same keys (the type system and a unit test both check).
 * `{name}` marks a value filled in at run time.
 */
import { zhCNCore } from './zh-CN-core.ts';
import { zhCNMore } from './zh-CN-more.ts';

export const zhCN = { ...zhCNCore, ...zhCNMore };

export type MessageKey = keyof typeof zhCN;
