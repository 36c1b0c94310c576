/**
 * One sync's conversation with the server, shared by the push and the pull: every request
 * counted, and every answer that means "stop for now" turned into the flush's outcome —
 * 401 (sign in again), 426 (update), 429 and 5xx (retry later), no network or an answer cut
 * off on the way (offline). Nothing here touches the outbox: stopping never drops a change.
 */
import type { SyncOutcome } from '../db.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class StopFlush extends Error {
  readonly outcome: SyncOutcome;
  constructor(outcome: SyncOutcome) {
    super(outcome);
    this.outcome = outcome;
  }
}

export interface LinkOptions {
  fetch: Fetch;
  /** Prefix of the API, '' in the browser (same origin); a full origin in Node tests. */
  baseUrl?: string;
  locale?: string;
}

export class Link {
  requests = 0;
  readonly #fetch: Fetch;
  readonly #base: string;
  readonly headers: Record<string, string>;

  constructor(opts: LinkOptions) {
    this.#fetch = opts.fetch;
    this.#base = opts.baseUrl ?? '';
    this.headers = { 'content-type': 'application/json', ...(opts.locale ? { 'accept-language': opts.locale } : {}) };
  }

  /** The answer to one request; throws StopFlush where the flush must stop. */
  async call(path: string, init: RequestInit): Promise<Response> {
    this.requests++;
    let res: Response;
    try {
      res = await this.#fetch(`${this.#base}${path}`, { credentials: 'same-origin', ...init });
    } catch {
      throw new StopFlush('offline');
    }
    if (res.status === 401) throw new StopFlush('unauthorized');
    if (res.status === 426) throw new StopFlush('upgrade');
    if (res.status === 429 || res.status >= 500) throw new StopFlush('error');
    return res;
  }

  /**
   * The answer's JSON. A connection that dies while the body arrives (a server killed, a
   * phone walking out of range) is a lost answer like any other: what was pushed stays in
   * the outbox and goes again — the server applies each mutation once — and a page not
   * read whole moves no cursor. Bytes that are not JSON (a captive portal's page) are an
   * error, not "offline".
   */
  async json<T>(res: Response): Promise<T> {
    try {
      return (await res.json()) as T;
    } catch (e) {
      throw new StopFlush(e instanceof SyntaxError ? 'error' : 'offline');
    }
  }
}
