import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { type RequestClient, runAsClient } from '../db/tenant-context.js';
import type { AppEnv } from './env.js';

export type { RequestClient };

/**
 * Parses `TRUSTED_PROXIES` (addresses or CIDRs, comma-separated) into a BlockList, or says which
 * entry is wrong. Empty means no proxy is trusted and X-Forwarded-For is ignored.
 *
 * @example
 * const proxies = parseTrustedProxies('10.0.0.0/8, 127.0.0.1'); // proxies.check('10.1.2.3') === true
 */
export function parseTrustedProxies(list: string): BlockList {
  const proxies = new BlockList();
  for (const entry of list.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (family === 0 || extra !== undefined || Number.isNaN(bits) || (bits !== null && bits > (family === 4 ? 32 : 128))) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === null) proxies.addAddress(address, type);
    else proxies.addSubnet(address, bits, type);
  }
  return proxies;
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy, in which case
 * X-Forwarded-For is read from the right, skipping trusted hops, to the first address a trusted
 * proxy vouched for. The left-most entries are whatever the client wrote, so they are never
 * believed past an untrusted hop.
 */
export function clientAddressOf(peer: string | null, forwardedFor: string | undefined, trusted: BlockList): string | null {
  if (peer === null || !isTrusted(peer, trusted) || !forwardedFor) return peer;
  let client = peer;
  for (const hop of forwardedFor.split(',').map((h) => plainAddress(h.trim())).reverse()) {
    // A malformed hop means nothing further left can be trusted either.
    if (hop === null) return client;
    client = hop;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return client;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The socket's peer address. `@hono/node-server` passes the Node request as `c.env.incoming`
 * (what `getConnInfo` reads); in-process tests pass the same shape as `app.request`'s third
 * argument. Without it (a test that does not care) the peer is unknown.
 */
function peerAddressOf(c: Context<AppEnv>): string | null {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return null;
  const address = getConnInfo(c).remote.address;
  return address === undefined ? null : plainAddress(address);
}

/** The socket a request came in on, when the server passed one: its peer never changes. */
function socketOf(c: Context<AppEnv>): object | null {
  const env: unknown = c.env;
  const incoming: unknown = typeof env === 'object' && env !== null && 'incoming' in env ? env.incoming : null;
  const socket: unknown = typeof incoming === 'object' && incoming !== null && 'socket' in incoming ? incoming.socket : null;
  return typeof socket === 'object' ? socket : null;
}

/** An address as PostgreSQL's inet reads it: IPv4-mapped IPv6 as IPv4, no zone id; null if not an address. */
function plainAddress(address: string): string | null {
  const bare = address.replace(/%.*$/, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return isIP(bare) === 0 ? null : bare;
}

type Peer = { address: string | null; trusted: boolean };

/**
 * Resolves the client once per request and keeps it for every tenant transaction the request
 * opens. The peer's address, and whether it is a trusted proxy, are worked out once per
 * connection (a kept-alive connection carries many requests); X-Forwarded-For is read per
 * request, and only from a trusted peer.
 */
export function clientAddress(trusted: BlockList): MiddlewareHandler<AppEnv> {
  const peers = new WeakMap<object, Peer>();
  const peerOf = (c: Context<AppEnv>): Peer => {
    const socket = socketOf(c);
    const known = socket && peers.get(socket);
    if (known) return known;
    const address = peerAddressOf(c);
    const peer = { address, trusted: address !== null && isTrusted(address, trusted) };
    if (socket) peers.set(socket, peer);
    return peer;
  };
  // Not async: the rest of the request's own promise, not one more around it.
  return (c, next) => {
    const peer = peerOf(c);
    const client: RequestClient = {
      ipAddress: peer.trusted ? clientAddressOf(peer.address, c.req.header('x-forwarded-for'), trusted) : peer.address,
      userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
    };
    c.set('client', client);
    return runAsClient(client, next);
  };
}
