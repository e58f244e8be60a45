import { useId, useState } from 'react';
import { ErrorText } from '../../../components/feedback';

type Props = {
  mode: 'sign-in' | 'sign-up';
  pending: boolean;
  error: unknown;
  onSubmit: (input: { name: string; email: string; password: string }) => void;
};

/** Email and password (and a name when signing up), with the server's refusal shown under the form. */
export function CredentialsForm({ mode, pending, error, onSubmit }: Props) {
  const id = useId();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const label = mode === 'sign-in' ? 'Sign in' : 'Sign up';
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit({ name: name.trim(), email: email.trim(), password });
      }}
    >
      {mode === 'sign-up' ? (
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input id={`${id}-email`} type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
          minLength={mode === 'sign-up' ? 8 : undefined}
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {mode === 'sign-up' ? <p className="hint">At least 8 characters.</p> : null}
      </div>
      <ErrorText error={error} />
      <button type="submit" className="button-primary" disabled={pending}>
        {pending ? `${label}…` : label}
      </button>
    </form>
  );
}
