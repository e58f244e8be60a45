import { useEffect, useRef } from 'react';

type Props = {
  open: boolean;
  onClose: () => void;
  label: string;
  className?: string;
  initialFocus?: React.RefObject<HTMLElement | null>;
  children: React.ReactNode;
};

/**
 * A native modal `<dialog>`: the browser traps focus, Escape closes, focus returns to where it
 * was. (cmdk's own dialog brings a scroll lock that injects a `<style>` tag, which the CSP refuses.)
 */
export function Modal({ open, onClose, label, className, initialFocus, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      initialFocus?.current?.focus();
    }
    if (!open && element.open) element.close();
  }, [open, initialFocus]);
  return (
    <dialog
      ref={dialog}
      aria-label={label}
      className={className ? `modal ${className}` : 'modal'}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      {open ? children : null}
    </dialog>
  );
}
