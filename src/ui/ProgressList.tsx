// Whatever the page is waiting for, with a bar (determinate when the worker knows how far along
// it is) and elapsed seconds, so a 30-second shader compile never looks like a frozen page.
import { useEffect, useState } from 'react';
import type { ProgressTask } from '../protocol/messages.ts';
import { useStudio } from '../state/store.ts';

const ORDER: ProgressTask[] = ['dataset', 'build', 'compile', 'evaluate', 'expand', 'measure'];

function useSecondsSince(active: boolean): number {
  const [start, setStart] = useState(0);
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t0 = performance.now();
    setStart(t0);
    setNow(t0);
    const id = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(id);
  }, [active]);
  return active ? Math.max(0, Math.floor((now - start) / 1000)) : 0;
}

export function ProgressList() {
  const progress = useStudio((s) => s.progress);
  const ready = useStudio((s) => s.ready);
  const error = useStudio((s) => s.error);
  const tasks = ORDER.flatMap((t) => (progress[t] ? [progress[t]] : []));
  const waiting = tasks.length > 0 || (!ready && !error);
  const seconds = useSecondsSince(waiting);
  if (!waiting) return null;
  const shown =
    tasks.length > 0
      ? tasks
      : [{ task: 'build' as const, label: 'Starting the training worker', fraction: null }];
  return (
    <div className="progress-list" aria-live="polite">
      {shown.map((p) => (
        <div key={p.task} className="progress-item">
          <span className="progress-label">
            {p.label}
            {p.fraction === null ? '…' : ` ${Math.round(p.fraction * 100)}%`}
            {seconds >= 2 && <span className="progress-time"> {seconds} s</span>}
          </span>
          {p.fraction === null ? (
            <progress aria-label={p.label} />
          ) : (
            <progress aria-label={p.label} value={p.fraction} max={1} />
          )}
        </div>
      ))}
    </div>
  );
}
