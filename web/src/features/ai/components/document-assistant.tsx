import { useId, useState } from 'react';
import { type DraftToSave, DocumentDraft } from './document-draft';
import { ProviderPicker } from './provider-picker';
import { StoriesFromDocument } from './stories-from-document';
import '../ai.css';

type Props = {
  orgId: string;
  orgSlug: string;
  documentId: string;
  saveDraft: { run: (draft: DraftToSave) => void; isPending: boolean; error: unknown };
};

/** Under a document, for members who may write: user stories from it, and a new document drafted from a prompt. */
export function DocumentAssistant({ orgId, orgSlug, documentId, saveDraft }: Props) {
  const id = useId();
  const [providerId, setProviderId] = useState('');
  return (
    <section className="section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Generate with AI</h2>
      <ProviderPicker orgId={orgId} orgSlug={orgSlug} value={providerId} onChange={setProviderId} />
      {providerId ? (
        <>
          <StoriesFromDocument orgId={orgId} orgSlug={orgSlug} providerId={providerId} documentId={documentId} />
          <DocumentDraft orgId={orgId} providerId={providerId} documentId={documentId} save={saveDraft} />
        </>
      ) : null}
    </section>
  );
}
