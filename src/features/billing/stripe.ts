import Stripe from 'stripe';
import type { StripeConfig } from './config.js';

/**
 * The Stripe SDK for one configuration. Tests and a local stripe-mock give `api`, which sends
 * every call to that origin instead of Stripe's.
 */
export function stripeClient(config: StripeConfig): Stripe {
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
    ...(config.api ? { host: config.api.host, port: config.api.port, protocol: config.api.protocol } : {}),
  });
}

export type { Stripe };
