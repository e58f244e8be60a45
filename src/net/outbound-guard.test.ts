import { type LookupAddress, lookup as systemLookup } from 'node:dns';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { OutboundAddressRefused, createOutboundFetch, isPublicAddress } from './outbound-guard.js';

describe('outbound guard', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      hits += 1;
      if (request.url === '/redirect') {
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
        return;
      }
      response.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('classifies addresses: only public unicast passes, v4 and v6, mapped v6 unwrapped', () => {
    for (const address of ['8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(address), address).toBe(true);
    const refused = [
      '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '2002:7f00:1::1', 'not an address',
    ];
    for (const address of refused) expect(isPublicAddress(address), address).toBe(false);
  });

  it('refuses loopback by default, by literal and by a name that resolves to 127.0.0.1, before any request', async () => {
    const send = createOutboundFetch({ allowPrivate: false });
    const before = hits;
    await expect(send(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(OutboundAddressRefused);
    await expect(send(`http://[::ffff:127.0.0.1]:${port}/`)).rejects.toBeInstanceOf(OutboundAddressRefused);
    await expect(send(`http://localhost:${port}/`)).rejects.toThrow(/resolves to (127\.0\.0\.1|::1)/);
    await expect(send('file:///etc/passwd')).rejects.toThrow(/not allowed/);
    expect(hits).toBe(before);
  });

  it('checks the address it connects to: a name whose answer includes a private address is refused', async () => {
    let asked = 0;
    // A resolver that answers a public address first and loopback next, as a rebinding attack would.
    // (Cast: dns.lookup is an overloaded function type that a single callback cannot satisfy.)
    const rebinding = ((_host: string, _options: unknown, callback: (e: null, a: LookupAddress[]) => void) => {
      asked += 1;
      callback(null, [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }]);
    }) as unknown as typeof systemLookup;
    const send = createOutboundFetch({ allowPrivate: false, lookup: rebinding });
    const before = hits;
    await expect(send(`http://rebind.test:${port}/`)).rejects.toThrow(/rebind\.test resolves to 127\.0\.0\.1/);
    expect(asked).toBe(1);
    expect(hits).toBe(before);
  });

  it('reaches loopback with OUTBOUND_ALLOW_PRIVATE=true, and never follows a redirect', async () => {
    const config = loadConfig({ OUTBOUND_ALLOW_PRIVATE: 'true' });
    expect(config.outbound.allowPrivate).toBe(true);
    expect(loadConfig({}).outbound.allowPrivate).toBe(false);
    const send = createOutboundFetch(config.outbound);
    const response = await send(`http://localhost:${port}/`);
    expect(await response.text()).toBe('reached');
    const redirected = await send(`http://127.0.0.1:${port}/redirect`);
    expect(redirected.status).toBe(302);
  });
});
