import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';
import { ConfigError, loadConfig } from '../config.js';
import { createApp } from './app.js';
import { clientAddressOf, parseTrustedProxies } from './client-address.js';

describe('the client address', () => {
  const proxies = parseTrustedProxies('10.0.0.0/8, 192.0.2.1, fd00::/8');

  it('is the socket peer unless the peer is a trusted proxy', () => {
    expect(clientAddressOf('198.51.100.1', '203.0.113.9', parseTrustedProxies(''))).toBe('198.51.100.1');
    expect(clientAddressOf('198.51.100.1', '203.0.113.9', proxies)).toBe('198.51.100.1');
    expect(clientAddressOf('10.1.2.3', '203.0.113.9', proxies)).toBe('203.0.113.9');
    expect(clientAddressOf('fd00::5', '2001:db8::7', proxies)).toBe('2001:db8::7');
    expect(clientAddressOf(null, '203.0.113.9', proxies)).toBeNull();
  });

  it('reads X-Forwarded-For from the right, never past the first hop no trusted proxy vouched for', () => {
    // The client wrote 6.6.6.6 itself; 203.0.113.9 is who connected to our first proxy.
    expect(clientAddressOf('10.0.0.2', '6.6.6.6, 203.0.113.9, 10.0.0.1', proxies)).toBe('203.0.113.9');
    expect(clientAddressOf('10.0.0.2', 'junk, 10.0.0.1', proxies)).toBe('10.0.0.1');
    expect(clientAddressOf('10.0.0.2', '10.0.0.3, 192.0.2.1', proxies)).toBe('10.0.0.3');
    expect(clientAddressOf('10.0.0.2', '::ffff:203.0.113.4', proxies)).toBe('203.0.113.4');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or CIDR', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.1/8/8', 'fd00::/129', '10.0.0.0/x']) {
      expect(() => parseTrustedProxies(bad)).toThrow(/is not an IP address or CIDR range/);
    }
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, proxy.internal' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'proxy.internal' })).toThrow(/^TRUSTED_PROXIES: "proxy.internal" is not/);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8' }).trustedProxies.check('10.2.3.4')).toBe(true);
  });
});

describe('audit rows', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  const createProject = async (app: ApiHarness['app'], peer: string, forwardedFor: string, key: string) => {
    const response = await app.request(
      `/api/v1/orgs/${h.tenantA.organizationId}/projects`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${h.tenantA.actors.owner.token}`,
          'content-type': 'application/json',
          'user-agent': 'audit-test/2.0',
          'x-forwarded-for': forwardedFor,
        },
        body: JSON.stringify({ name: `Audited ${key}`, key }),
      },
      { incoming: { socket: { remoteAddress: peer } } },
    );
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const [row] = await h.test.db.query<{ ip_address: string | null; user_agent: string | null }>(
      `select host(ip_address) as ip_address, user_agent from audit_logs where resource_id = $1 and action = 'insert'`,
      [id],
    );
    return row;
  };

  it('carry the client address and user agent, through the trusted-proxy rule', async () => {
    expect(await createProject(h.app, '198.51.100.8', '203.0.113.50', 'AUDA')).toEqual({ ip_address: '198.51.100.8', user_agent: 'audit-test/2.0' });
    const behindProxy = createApp({
      db: h.test.db, auth: h.auth, logger: pino({ level: 'silent' }), masterKey: h.masterKey, dataDir: h.dataDir,
      trustedProxies: parseTrustedProxies('10.0.0.0/8'),
    });
    expect(await createProject(behindProxy, '10.9.8.7', '6.6.6.6, 203.0.113.50', 'AUDB')).toEqual({ ip_address: '203.0.113.50', user_agent: 'audit-test/2.0' });
  });
});
