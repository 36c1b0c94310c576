/** What each request carries through the Hono middleware chain. */
import type { Locale } from '../shared/i18n/index.ts';
import type { Actor } from './session.ts';

export interface AppEnv {
  Variables: {
    actor: Actor;
    locale: Locale;
  };
}
