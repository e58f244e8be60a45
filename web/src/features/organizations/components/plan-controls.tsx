import { useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { useCancelScheduledChange, useChangePlan, useCheckout, usePlans, usePortal, useSubscription } from '../api';

type Plan = { code: string; name: string; priceCents: number; currency: string; billingPeriod: string };

function planLabel(plan: Plan): string {
  return `${plan.name}${plan.priceCents > 0 ? ` (${(plan.priceCents / 100).toFixed(2)} ${plan.currency} / ${plan.billingPeriod === 'yearly' ? 'year' : 'month'})` : ' (free)'}`;
}

/**
 * What an owner does about the plan. BILLING_MODE=none: change it at once (a plan too small for
 * the usage is refused, naming the limits) or at the end of the period, and drop a scheduled
 * change. BILLING_MODE=stripe: Stripe's Checkout for a plan, and its Customer Portal.
 */
export function PlanControls({ orgId, current }: { orgId: string; current: string }) {
  const subscription = useSubscription(orgId);
  if (!subscription.data) return <ErrorText error={subscription.error} />;
  const { billingMode, scheduledChange } = subscription.data;
  return (
    <div className="stack">
      {scheduledChange ? <ScheduledChange orgId={orgId} plan={scheduledChange.plan.name} at={scheduledChange.at} /> : null}
      {billingMode === 'stripe' ? <StripeControls orgId={orgId} current={current} /> : <DirectChange orgId={orgId} current={current} />}
    </div>
  );
}

function PlanPicker({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const plans = usePlans();
  return (
    <label className="field">
      New plan
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {(plans.data?.items ?? []).map((plan) => (
          <option key={plan.code} value={plan.code}>
            {planLabel(plan)}
          </option>
        ))}
      </select>
    </label>
  );
}

function DirectChange({ orgId, current }: { orgId: string; current: string }) {
  const change = useChangePlan(orgId);
  const [chosen, setChosen] = useState(current);
  return (
    <form
      className="row"
      aria-label="Change plan"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate({ plan: chosen, at: 'now' });
      }}
    >
      <PlanPicker value={chosen} onChange={setChosen} />
      <button type="submit" className="button-primary" disabled={change.isPending || chosen === current}>
        Change plan
      </button>
      <button type="button" disabled={change.isPending || chosen === current} onClick={() => change.mutate({ plan: chosen, at: 'period_end' })}>
        Change at the end of the period
      </button>
      <ErrorText error={change.error} />
    </form>
  );
}

function ScheduledChange({ orgId, plan, at }: { orgId: string; plan: string; at: string }) {
  const cancel = useCancelScheduledChange(orgId);
  return (
    <div className="row" role="status">
      <span>
        Moves to <strong>{plan}</strong> on <time dateTime={at}>{new Date(at).toLocaleString()}</time>. Nothing is deleted then; what is over its limits can no
        longer grow.
      </span>
      <button type="button" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
        Cancel scheduled change
      </button>
      <ErrorText error={cancel.error} />
    </div>
  );
}

function StripeControls({ orgId, current }: { orgId: string; current: string }) {
  const checkout = useCheckout(orgId);
  const portal = usePortal(orgId);
  const [chosen, setChosen] = useState(current);
  return (
    <>
      <form
        className="row"
        aria-label="Subscribe through Stripe"
        onSubmit={(event) => {
          event.preventDefault();
          checkout.mutate(chosen);
        }}
      >
        <PlanPicker value={chosen} onChange={setChosen} />
        <button type="submit" className="button-primary" disabled={checkout.isPending || chosen === current}>
          Subscribe with Stripe Checkout
        </button>
        <ErrorText error={checkout.error} />
      </form>
      <div className="row">
        <button type="button" disabled={portal.isPending} onClick={() => portal.mutate()}>
          Manage billing in the Stripe Customer Portal
        </button>
        <ErrorText error={portal.error} />
      </div>
    </>
  );
}
