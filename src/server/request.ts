/**
 * Reading a request: its JSON body against a schema (a 4xx with the reasons in the caller's
 * words, never a 5xx), and the caller's network address for the sign-in limits.
 */
import net from 'node:net';
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

/** 127.0.0.1 from `::ffff:127.0.0.1`: the same address, however the socket spells it. */
function plainAddress(a: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return (v4 ? v4[1]! : a).trim();
}

/** The proxies in front of Linli, from a list of addresses and networks (`10.0.0.0/8`, `::1`). */
export function trustedProxies(list: readonly string[]): net.BlockList {
  const proxies = new net.BlockList();
  for (const entry of list) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!net.isIP(address)) throw new Error(`LINLI_TRUSTED_PROXIES: not an address or network: ${entry}`);
    if (bits === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, Number(bits), type);
  }
  return proxies;
}

function trusted(proxies: net.BlockList, address: string): boolean {
  const type = net.isIPv6(address) ? 'ipv6' : net.isIPv4(address) ? 'ipv4' : null;
  return type !== null && proxies.check(address, type);
}

/**
 * The caller's address: the socket's, unless that is one of our trusted proxies — then the
 * nearest address in X-Forwarded-For that is not one of ours, read from the right (each
 * proxy appends the address it saw; what stands to its left is the client's to write).
 */
export function clientAddress(c: Context, proxies: net.BlockList): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return forwardedClient(incoming?.socket?.remoteAddress ?? 'unknown', c.req.header('x-forwarded-for'), proxies);
}

/** `clientAddress` from the socket's address and the X-Forwarded-For header. */
export function forwardedClient(socket: string, forwardedFor: string | undefined, proxies: net.BlockList): string {
  let address = plainAddress(socket);
  const forwarded = (forwardedFor ?? '').split(',').map(plainAddress).filter(Boolean);
  while (trusted(proxies, address) && forwarded.length > 0) address = forwarded.pop()!;
  return address.slice(0, 64);
}
