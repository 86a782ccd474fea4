// A button that opens the file picker for one JSON file: the spec, run and sweep imports share it.
// The input stays in the page (visually hidden) so tests and assistive tech can reach it by name.
import { useId, useRef } from 'react';

export interface FileButtonProps {
  label: string;
  title: string;
  /** The hidden file input's accessible name. */
  inputLabel: string;
  onFile: (file: File) => void;
}

export function FileButton({ label, title, inputLabel, onFile }: FileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="secondary"
        title={title}
        aria-controls={id}
        onClick={() => input.current?.click()}
      >
        {label}
      </button>
      <input
        ref={input}
        id={id}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        aria-label={inputLabel}
        tabIndex={-1}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // Cleared so that choosing the same file again imports it again.
          e.currentTarget.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}
