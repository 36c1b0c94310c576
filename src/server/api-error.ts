/**
 * The one error type of the API. Handlers throw it; `onError` in `app.ts` turns it (and
 * anything unexpected) into `{ error: { code, message } }` in the caller's language.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../shared/errors.ts';
import type { Params } from '../shared/i18n/index.ts';

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  /** Fills the `error.<code>` message; `detail` is already in the caller's language. */
  readonly params: Params | undefined;

  constructor(status: ContentfulStatusCode, code: ErrorCode, params?: Params) {
    super(code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.params = params;
  }
}
