import { useId, useState } from 'react';
import type { Schemas } from '../../../api/client';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { FormActions } from '../../../components/form-actions';
import { type AiPrice, useAiPrices, useSetAiPrice } from '../api';

type Kind = Schemas['SetAiModelPrice']['kind'];
const KINDS: Kind[] = ['openai', 'anthropic', 'openai-compatible', 'ollama', 'azure_openai', 'google', 'other'];

/**
 * The organization's price table: each model's price per million tokens, versioned. Admins
 * set a new price, which becomes the model's next version; older generations keep theirs.
 */
export function PriceTable({ orgId, canManage }: { orgId: string; canManage: boolean }) {
  const id = useId();
  const [history, setHistory] = useState(false);
  const [editing, setEditing] = useState<Partial<AiPrice> | null>(null);
  const prices = useAiPrices(orgId, history);
  return (
    <section className="section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Prices</h2>
      <p className="muted">Per million tokens, in the organization’s billing currency. Each generation is charged at the version in force when it ran.</p>
      <div className="row">
        <label className="checkbox">
          <input type="checkbox" checked={history} onChange={(event) => setHistory(event.target.checked)} /> Show every version
        </label>
        {canManage && !editing ? (
          <button type="button" className="button-quiet" onClick={() => setEditing({})}>
            Add a model price
          </button>
        ) : null}
      </div>
      {editing ? <PriceForm orgId={orgId} start={editing} onDone={() => setEditing(null)} /> : null}
      {prices.isPending ? <Loading label="Loading prices…" /> : null}
      <ErrorText error={prices.error} />
      {prices.data?.length === 0 ? <EmptyState title="No model has a price yet.">Generations with a model without a price cost 0.</EmptyState> : null}
      {prices.data && prices.data.length > 0 ? (
        <div className="table-scroll">
          <table className="usage">
            <caption>{history ? 'Every price version' : 'Current prices'}</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Kind</th>
                <th scope="col">Version</th>
                <th scope="col">Input</th>
                <th scope="col">Output</th>
                <th scope="col">Since</th>
                {canManage ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {prices.data.map((price) => (
                <tr key={price.id}>
                  <th scope="row">{price.model}</th>
                  <td>{price.kind}</td>
                  <td>{price.version}</td>
                  <td>{price.inputPerMillion}</td>
                  <td>{price.outputPerMillion}</td>
                  <td>{new Date(price.createdAt).toLocaleDateString()}</td>
                  {canManage ? (
                    <td>
                      <button type="button" className="button-quiet" onClick={() => setEditing(price)}>
                        Change price of {price.model}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function PriceForm({ orgId, start, onDone }: { orgId: string; start: Partial<AiPrice>; onDone: () => void }) {
  const set = useSetAiPrice(orgId);
  const [kind, setKind] = useState<Kind>(start.kind ?? 'openai');
  const [model, setModel] = useState(start.model ?? '');
  const [input, setInput] = useState(start.inputPerMillion ?? '');
  const [output, setOutput] = useState(start.outputPerMillion ?? '');
  const decimal = '\\d{1,6}(\\.\\d{1,6})?';
  return (
    <form
      className="card stack"
      aria-label="Model price"
      onSubmit={(event) => {
        event.preventDefault();
        set.mutate({ kind, model: model.trim(), inputPerMillion: input.trim(), outputPerMillion: output.trim() }, { onSuccess: onDone });
      }}
    >
      <label className="field">
        Provider kind
        <select value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
          {KINDS.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Model name
        <input type="text" value={model} required maxLength={200} onChange={(event) => setModel(event.target.value)} />
      </label>
      <label className="field">
        Input price per million tokens
        <input type="text" inputMode="decimal" pattern={decimal} value={input} required onChange={(event) => setInput(event.target.value)} />
      </label>
      <label className="field">
        Output price per million tokens
        <input type="text" inputMode="decimal" pattern={decimal} value={output} required onChange={(event) => setOutput(event.target.value)} />
      </label>
      <ErrorText error={set.error} />
      <FormActions submitLabel={'Save price'} pending={set.isPending} onCancel={onDone} />
    </form>
  );
}
