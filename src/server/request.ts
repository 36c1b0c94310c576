/**
 * Reading a request: its JSON body against a schema (a 4xx with the reasons in the caller's
 * words, never a 5xx), and the caller's network address for the sign-in limits.
 */
import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { describeIssues } from '../shared/i18n/index.ts';
import { ApiError } from './api-error.ts';
import type { AppEnv } from './app-env.ts';

export function isJson(c: Context): boolean {
  return /^application\/json\b/i.test(c.req.header('content-type') ?? '');
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'bad_request');
  }
}

export async function readJson<T>(c: Context<AppEnv>, schema: z.ZodMiniType<T>): Promise<T> {
  if (!isJson(c)) throw new ApiError(415, 'unsupported_media_type');
  const parsed = schema.safeParse(parseJson(await c.req.text()));
  if (!parsed.success) throw new ApiError(400, 'validation', { detail: describeIssues(c.get('locale'), parsed.error.issues) });
  return parsed.data;
}

/** The caller's address: the proxy's X-Forwarded-For when LINLI_TRUST_PROXY is set, else the socket's. */
export function clientAddress(c: Context): string {
  if (process.env.LINLI_TRUST_PROXY === '1') {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
