import { useId, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { useResetPassword } from '../api';

/** A new password for the account the reset mail's token names; `onDone` runs once it is set. */
export function ResetPasswordForm({ token, onDone }: { token: string; onDone: () => void }) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const reset = useResetPassword();
  const mismatch = repeated.length > 0 && repeated !== password;
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (!mismatch) reset.mutate({ token, newPassword: password }, { onSuccess: onDone });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-password`}>New password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <p className="hint">At least 8 characters.</p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-repeat`}>Repeat the new password</label>
        <input
          id={`${id}-repeat`}
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={mismatch}
          value={repeated}
          onChange={(event) => setRepeated(event.target.value)}
        />
      </div>
      <ErrorText error={mismatch ? 'The two passwords differ.' : reset.error} />
      <button type="submit" className="button-primary" disabled={reset.isPending || mismatch}>
        {reset.isPending ? 'Setting password…' : 'Set new password'}
      </button>
    </form>
  );
}
