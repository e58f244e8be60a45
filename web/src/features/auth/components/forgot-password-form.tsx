import { useId, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { useRequestPasswordReset } from '../api';

/** Asks for the reset mail; afterwards says where to look, the same for every address. */
export function ForgotPasswordForm() {
  const id = useId();
  const [email, setEmail] = useState('');
  const request = useRequestPasswordReset();
  if (request.isSuccess) {
    return (
      <p role="status">
        If <strong>{email}</strong> has a Tenantry account, a link to set a new password is on its way. It works once, for an hour.
      </p>
    );
  }
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        request.mutate(email.trim());
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input id={`${id}-email`} type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </div>
      <ErrorText error={request.error} />
      <button type="submit" className="button-primary" disabled={request.isPending}>
        {request.isPending ? 'Sending…' : 'Send reset link'}
      </button>
    </form>
  );
}
