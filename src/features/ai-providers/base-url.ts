import { lookup } from 'node:dns/promises';
import { OutboundAddressRefused, assertOutboundUrl, isPublicAddress } from '../../net/outbound-guard.js';

/**
 * Refuses, when it is saved, a base URL whose host is or resolves to a private address (unless
 * OUTBOUND_ALLOW_PRIVATE), so an admin hears it at once. The guarded fetch checks again at every
 * connection, which is what actually holds when the name's addresses change later.
 */
export async function assertPublicUrl(url: URL, allowPrivate: boolean): Promise<void> {
  assertOutboundUrl(url, allowPrivate);
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw new OutboundAddressRefused(`${host} does not resolve`);
  }
  const refused = addresses.find((entry) => !isPublicAddress(entry.address));
  if (refused) {
    throw new OutboundAddressRefused(
      `${host} resolves to ${refused.address}, a private or reserved address; outbound requests may only reach public addresses (OUTBOUND_ALLOW_PRIVATE=true allows them)`,
    );
  }
}
