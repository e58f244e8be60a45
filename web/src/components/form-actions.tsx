/** A form's closing row: its submit button (disabled while saving) and a Cancel that submits nothing. */
export function FormActions({ submitLabel, pending, onCancel }: { submitLabel: string; pending: boolean; onCancel: () => void }) {
  return (
    <div className="row">
      <button type="submit" className="button-primary" disabled={pending}>
        {submitLabel}
      </button>
      <button type="button" className="button-quiet" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
