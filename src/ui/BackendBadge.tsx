// The element labelled "Backend": always says what tfjs trains on and with which adapter, so a
// person (and a test) can tell a GPU from a software fallback at a glance.
import { useStudio } from '../state/store.ts';
import { adapterText } from './format.ts';

export function BackendBadge() {
  const backend = useStudio((s) => s.backend);
  const adapter = useStudio((s) => s.adapter);
  // wasm and cpu train on the CPU: a person should see at a glance that no GPU is in use.
  const software = backend === 'cpu' || backend === 'wasm' || adapter?.isFallback === true;
  const text = backend === null ? 'starting…' : [backend, adapterText(adapter)].filter(Boolean).join(' · ');
  return (
    <div
      className={`badge ${backend === null ? 'badge-pending' : software ? 'badge-warn' : 'badge-ok'}`}
      role="status"
      aria-label="Backend"
      title="The TensorFlow.js backend the worker trains on, and the GPU adapter behind it"
    >
      <span className="badge-key">Backend</span>
      <span className="badge-value" data-testid="backend-value">
        {text}
      </span>
    </div>
  );
}
