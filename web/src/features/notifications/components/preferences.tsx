import { useId } from 'react';
import { ErrorText, Loading } from '../../../components/feedback';
import { type NotificationChannel, type NotificationType, usePreferences, useSetPreference } from '../api';

const TYPE_LABELS: Record<NotificationType, string> = {
  assigned: 'A task is assigned to me',
  mentioned: 'Someone mentions me',
  commented: 'A comment on a task I watch',
  status_changed: 'A status change on a task I watch',
  sprint_started: 'A sprint of my project starts',
  sprint_completed: 'A sprint of my project completes',
  invitation_accepted: 'Someone accepts my invitation',
};
const CHANNEL_LABELS: Record<NotificationChannel, string> = { in_app: 'In the inbox', email: 'Inbox and email digest', off: 'Off' };

/** Per kind of event: in the inbox, also by email (batched into a digest), or not at all. */
export function NotificationPreferences({ orgId }: { orgId: string }) {
  const preferences = usePreferences(orgId);
  const save = useSetPreference(orgId);
  const headingId = useId();
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Notification preferences</h2>
      {preferences.isPending ? <Loading /> : null}
      <ErrorText error={preferences.error ?? save.error} />
      {preferences.data ? (
        <div className="preference-grid">
          {preferences.data.items.map((preference) => (
            <PreferenceField
              key={preference.type}
              type={preference.type}
              channel={preference.channel}
              onChange={(channel) => save.mutate({ type: preference.type, channel })}
            />
          ))}
        </div>
      ) : null}
    </section>
  );
}

function PreferenceField({ type, channel, onChange }: { type: NotificationType; channel: NotificationChannel; onChange: (channel: NotificationChannel) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{TYPE_LABELS[type]}</label>
      <select id={id} value={channel} onChange={(event) => onChange(event.target.value as NotificationChannel)}>
        {(Object.keys(CHANNEL_LABELS) as NotificationChannel[]).map((option) => (
          <option key={option} value={option}>
            {CHANNEL_LABELS[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
