import { renderMail } from '../mail/templates.js';
import { membershipsOf } from './content/organizations.js';
import type { OrganizationSeed } from './context.js';
import { planIdByCode } from './reference-data.js';
import { jsonb } from './writer.js';

/**
 * The tenant root and who belongs to it: the organization (with its wrapped data key),
 * members in every role, invitations, the subscription and an organization template.
 */
export async function seedOrganization(seed: OrganizationSeed): Promise<void> {
  const { organization, writer, clock } = seed;
  await writer.actAs(seed.user('owner'));

  const [existing] = await writer.session.query('select 1 from organizations where id = $1', [seed.id]);
  // The registry keeps slugs unique (migrations/0016): an organization whose slug another one
  // holds is not created, and requireIds below says so.
  await writer.insert('organization_slugs', [{ slug: organization.slug, organization_ref: seed.id }]);
  const [claim] = await writer.session.query<{ id: string }>('select organization_ref::text as id from organization_slugs where slug = $1', [
    organization.slug,
  ]);
  if (!existing && claim?.id === seed.id) {
    // A data key is made only for an organization that is about to exist, and kept only if it does.
    const wrappedKey = seed.keys.create(seed.id);
    const inserted = await writer.insert('organizations', [
      {
        id: seed.id,
        name: organization.name,
        slug: organization.slug,
        domain: organization.domain,
        // No logo: the web app loads nothing from other hosts and shows initials instead.
        logo: null,
        owner_id: seed.user('owner'),
        settings: jsonb(organization.settings),
        metadata: jsonb({ source: 'tenantry db seed' }),
        wrapped_data_key: wrappedKey,
        billing_customer_id: `cus_demo_${organization.slug}`,
        billing_email: `billing@${organization.domain}`,
      },
    ]);
    if (inserted === 0) seed.keys.discard(seed.id);
  }
  await writer.requireIds('organizations', new Map([[seed.id, `organization "${organization.slug}"`]]));

  await writer.insert(
    'members',
    membershipsOf(organization).map(({ slot, role }) => ({
      organization_id: seed.id,
      id: seed.rowId('member', slot),
      user_id: seed.user(slot),
      role,
    })),
  );

  await writer.insert(
    'invitations',
    organization.invitations.map((invitation) => ({
      organization_id: seed.id,
      id: seed.rowId('invitation', invitation.email),
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expires_at: clock.at(invitation.status === 'expired' ? -3 : 7),
      inviter_id: seed.user(invitation.inviter),
    })),
  );

  // The mail each invitation sent, as its admins see it (the queue's jobs are long cleaned up).
  await writer.insert(
    'mail_deliveries',
    organization.invitations.map((invitation) => ({
      organization_id: seed.id,
      id: seed.rowId('mail-delivery', invitation.email),
      job_id: seed.rowId('mail-job', invitation.email),
      template: 'invitation',
      recipient: invitation.email,
      subject: renderMail('invitation', 'en', {
        organizationName: organization.name,
        inviterName: null,
        role: invitation.role,
        link: '',
        expiresAt: new Date(clock.at(7)),
      }).subject,
      status: 'sent',
      attempts: 1,
      sent_at: clock.at(invitation.status === 'expired' ? -5 : -1),
    })),
  );

  const periodStart = organization.subscriptionStatus === 'trialing' ? -10 : -12;
  await writer.insert('subscriptions', [
    {
      organization_id: seed.id,
      id: seed.rowId('subscription'),
      plan_id: await planIdByCode(writer, organization.plan),
      status: organization.subscriptionStatus,
      current_period_start: clock.at(periodStart, 0),
      current_period_end: clock.at(periodStart + 30, 0),
      trial_ends_at: organization.subscriptionStatus === 'trialing' ? clock.at(periodStart + 30, 0) : null,
      seats: organization.seats,
      provider: 'stripe',
      provider_customer_id: `cus_demo_${organization.slug}`,
      provider_subscription_id: `sub_demo_${organization.slug}`,
    },
  ]);

  await writer.insert('templates', [
    {
      id: seed.rowId('template', organization.template.name),
      organization_id: seed.id,
      name: organization.template.name,
      description: organization.template.description,
      category: organization.template.category,
      content: jsonb(organization.template.content),
      created_by_id: seed.user('admin'),
    },
  ]);
}
