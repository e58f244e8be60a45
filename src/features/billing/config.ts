/**
 * How plans are paid for (`BILLING_MODE`). `none`, the self-hosted default: an owner changes
 * plan directly and nothing is charged. `stripe`: Checkout and the Customer Portal, with the
 * webhook keeping subscriptions current.
 */
export type BillingConfig =
  | { mode: 'none'; stripe?: StripeConfig }
  | { mode: 'stripe'; stripe: StripeConfig };

export type StripeConfig = {
  secretKey: string;
  webhookSecret: string;
  /** The public origin (BASE_URL), where Checkout and the Portal send the owner back. */
  returnBaseUrl: string;
  /** Where the SDK sends its calls; tests point it at a local server. Unset means Stripe's own API. */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
};

export const NO_BILLING: BillingConfig = { mode: 'none' };
