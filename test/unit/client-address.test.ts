/**
 * The caller's address behind proxies (issue 20): the nearest hop that is not one of ours,
 * read from the right of X-Forwarded-For — what stands to its left is the client's to write.
 */
import { describe, expect, it } from 'vitest';
import { forwardedClient, trustedProxies } from '../../src/server/request.ts';
import { loadConfig } from '../../src/server/config.ts';

const proxies = trustedProxies(['127.0.0.1', '10.0.0.0/8', '::1']);

describe('the client address', () => {
  it('is the socket’s when the socket is not a trusted proxy, whatever the header says', () => {
    expect(forwardedClient('203.0.113.7', '1.2.3.4', proxies)).toBe('203.0.113.7');
    expect(forwardedClient('203.0.113.7', '1.2.3.4', trustedProxies([]))).toBe('203.0.113.7');
  });

  it('behind our proxy: the rightmost entry, not the leftmost a client can forge', () => {
    expect(forwardedClient('127.0.0.1', '6.6.6.6, 198.51.100.9', proxies)).toBe('198.51.100.9');
    expect(forwardedClient('::ffff:127.0.0.1', 'forged, 198.51.100.9', proxies)).toBe('198.51.100.9');
  });

  it('behind two proxies of ours: past both, to the first address that is not ours', () => {
    expect(forwardedClient('127.0.0.1', '6.6.6.6, 198.51.100.9, 10.2.3.4', proxies)).toBe('198.51.100.9');
    expect(forwardedClient('::1', '2001:db8::5, 10.0.0.1', proxies)).toBe('2001:db8::5');
  });

  it('a proxy of ours that sent no header is the address (it is all we know)', () => {
    expect(forwardedClient('127.0.0.1', undefined, proxies)).toBe('127.0.0.1');
    expect(forwardedClient('10.1.1.1', '10.2.2.2', proxies)).toBe('10.2.2.2');
  });

  it('reads LINLI_TRUSTED_PROXIES (addresses and networks); LINLI_TRUST_PROXY=1 trusts the loopback; a bad entry stops the start', () => {
    expect(loadConfig({ LINLI_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.2' }).trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.2']);
    expect(loadConfig({ LINLI_TRUST_PROXY: '1' }).trustedProxies).toEqual(['127.0.0.1', '::1']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(() => trustedProxies(['not-an-address'])).toThrow(/LINLI_TRUSTED_PROXIES/);
  });
});
