import { useState } from 'react';
import { ErrorText, Loading } from '../../../components/feedback';
import { Initials } from '../../../components/initials';
import { type Comment, useAddComment, useComments } from '../api';
import { Markdown } from './markdown';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The discussion, oldest first, in Markdown; writers get a "Comment" box below it. */
export function Comments({ orgId, taskId, canWrite, people }: { orgId: string; taskId: string; canWrite: boolean; people: { id: string; name: string }[] }) {
  const comments = useComments(orgId, taskId);
  const add = useAddComment(orgId, taskId);
  const [body, setBody] = useState('');
  const authorOf = (comment: Comment) =>
    comment.author?.name ?? people.find((person) => person.id === comment.authorId)?.name ?? 'A former member';

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    add.mutate(body, { onSuccess: () => setBody('') });
  };

  return (
    <section className="task-section" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      {comments.isPending ? <Loading label="Loading comments…" /> : null}
      <ErrorText error={comments.error} />
      {comments.data && comments.data.length === 0 ? <p className="muted">No comments yet.{canWrite ? ' Start the discussion below.' : ''}</p> : null}
      <ol className="comment-list">
        {comments.data?.map((comment) => (
          <li key={comment.id} className="comment">
            <p className="comment-meta">
              <Initials name={authorOf(comment)} size="sm" /> <strong>{authorOf(comment)}</strong>{' '}
              <time dateTime={comment.createdAt}>{when(comment.createdAt)}</time>
              {comment.editedAt ? <span className="muted"> (edited)</span> : null}
            </p>
            <Markdown text={comment.body} />
          </li>
        ))}
      </ol>
      {canWrite ? (
        <form className="comment-form" onSubmit={submit}>
          <label htmlFor="comment-body" className="visually-hidden">
            Comment
          </label>
          <textarea
            id="comment-body"
            rows={4}
            maxLength={20_000}
            placeholder="Write a comment (Markdown)"
            value={body}
            onChange={(event) => setBody(event.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={add.isPending || body.trim() === ''}>
              Comment
            </button>
          </div>
          <ErrorText error={add.error} />
        </form>
      ) : null}
    </section>
  );
}
