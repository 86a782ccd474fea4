// The seed network: a built-in one, or a spec JSON imported from a file. A bad file shows its
// one-line SpecError here and changes nothing else.
import { useId } from 'react';
import { parseNetworkFile } from '../morphnet/import-keras.ts';
import { readImportFile, type ImportFile } from '../state/import-file.ts';
import { applyImportedSpec, rejectImportedSpec, setSetting } from '../state/actions.ts';
import { useStudio } from '../state/store.ts';
import { BUILTIN_NETS } from '../state/url.ts';
import { FileButton } from './FileButton.tsx';

const NET_LABELS: Record<(typeof BUILTIN_NETS)[number], string> = {
  'resnet-mini': 'ResNet-mini',
  'plain-cnn': 'Plain CNN',
  'inception-mini': 'Inception-mini',
};
const IMPORTED = '__imported__';

/**
 * Imports a chosen spec file, or a Keras / TensorFlow.js Layers model.json (told apart by its
 * shape and converted): its size is checked before it is read, then it is parsed and validated.
 */
export async function importSpecFile(file: ImportFile): Promise<void> {
  try {
    applyImportedSpec(parseNetworkFile(await readImportFile(file, 'spec'), file.name));
  } catch (err) {
    rejectImportedSpec(err instanceof Error ? err.message : String(err));
  }
}

export function NetworkPicker() {
  const net = useStudio((s) => s.settings.net);
  const imported = useStudio((s) => s.importedSpec);
  const specError = useStudio((s) => s.specError);
  const selectId = useId();
  const errorId = useId();
  const title =
    'The network MorphNet starts from: ResNet-mini (residual stages), a plain CNN, or Inception-mini (parallel towers). Its cost is the budget the expansion aims for. Changing it starts a new run.';
  return (
    <div className="field" title={title}>
      <label htmlFor={selectId}>Seed network</label>
      <div className="field-row tight">
        <select
          id={selectId}
          value={imported ? IMPORTED : net}
          title={title}
          aria-describedby={specError ? errorId : undefined}
          onChange={(e) => {
            const v = BUILTIN_NETS.find((n) => n === e.currentTarget.value);
            if (v) setSetting('net', v);
          }}
        >
          {BUILTIN_NETS.map((n) => (
            <option key={n} value={n}>
              {NET_LABELS[n]}
            </option>
          ))}
          {imported && <option value={IMPORTED}>Imported: {imported.name}</option>}
        </select>
        <FileButton
          label="Import…"
          title="Load your own network: a spec (JSON, the format in the README) or a Keras / TensorFlow.js model.json"
          inputLabel="Import a network spec JSON file"
          onFile={(file) => void importSpecFile(file)}
        />
      </div>
      {specError && (
        <p id={errorId} className="field-error" role="alert">
          {specError}
        </p>
      )}
    </div>
  );
}
