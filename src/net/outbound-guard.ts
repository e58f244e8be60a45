/**
 * Requests to URLs that tenants supply (webhook receivers, AI base URLs) must not reach the
 * server's own network: loopback, private, link-local, unique-local, multicast, unspecified and
 * every other special-purpose range are refused unless the operator sets
 * OUTBOUND_ALLOW_PRIVATE=true.
 *
 * The check runs inside the connection's own DNS lookup, so the address that was checked is the
 * address connected to (a name that resolves to a public address for the check and to 127.0.0.1
 * for the connection cannot slip through). Redirects are never followed: the caller sees the 3xx.
 *
 * @example
 * const send = createOutboundFetch({ allowPrivate: config.outbound.allowPrivate });
 * const response = await send('https://hooks.example.com/tenantry', { method: 'POST', body });
 */
import { lookup as systemLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, type RequestInit, type Response, fetch } from 'undici';

/** Thrown (never retried into success) when a URL's host is, or resolves to, a refused address. */
export class OutboundAddressRefused extends Error {
  override name = 'OutboundAddressRefused';
}

export type OutboundOptions = {
  /** OUTBOUND_ALLOW_PRIVATE: let requests reach loopback and private addresses. */
  allowPrivate: boolean;
  /** Resolves names; the system resolver unless a test gives its own. */
  lookup?: typeof systemLookup;
};

export type OutboundFetch = (url: string | URL, init?: Omit<RequestInit, 'dispatcher' | 'redirect'>) => Promise<Response>;

/** Whether `address` (v4 or v6, IPv4-mapped v6 unwrapped) is an ordinary public unicast address. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // ::ffff:127.0.0.1 is 127.0.0.1; process() unwraps it so the v4 ranges apply.
  return ipaddr.process(address).range() === 'unicast';
}

function refusal(host: string, address: string): OutboundAddressRefused {
  return new OutboundAddressRefused(
    `${host} resolves to ${address}, a private or reserved address; outbound requests may only reach public addresses (OUTBOUND_ALLOW_PRIVATE=true allows them)`,
  );
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup for sockets that fails when any resolved address is refused. */
function guardedLookup(resolve: typeof systemLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      // Every address must pass, not just the first: the socket may fall back to any of them.
      const bad = addresses.find((entry) => !isPublicAddress(entry.address));
      if (bad) return callback(refusal(hostname, bad.address), []);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** Checks a URL before any connection: http(s) only, and a literal address must be public (sockets skip lookup for those). */
export function assertOutboundUrl(url: URL, allowPrivate: boolean): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundAddressRefused(`${url.protocol} URLs are not allowed; use http or https`);
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !isPublicAddress(host)) throw refusal(host, host);
}

/** A fetch whose every connection passes the address check, with redirects left to the caller. */
export function createOutboundFetch(options: OutboundOptions): OutboundFetch {
  const dispatcher = options.allowPrivate ? new Agent() : new Agent({ connect: { lookup: guardedLookup(options.lookup ?? systemLookup) } });
  return async (input, init) => {
    const url = new URL(input);
    assertOutboundUrl(url, options.allowPrivate);
    try {
      return await fetch(url, { ...init, dispatcher, redirect: 'manual' });
    } catch (error) {
      // fetch wraps connection errors in "fetch failed"; the refusal is the reason worth telling.
      if (error instanceof Error && error.cause instanceof OutboundAddressRefused) throw error.cause;
      throw error;
    }
  };
}
