// Settings dialog (renderer): the engine backend for training and prediction, the compute
// threads of the cpu/wasm backends (automatic: the physical cores minus one, so the UI stays
// responsive) and the engine's memory budget; all apply from the next job on. Opened from the
// header, the welcome screen or the desktop menu.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  DEFAULT_APP_SETTINGS,
  ENGINE_BACKENDS,
  type EngineBackendChoice,
} from '../../../../shared/contract/app';
import { describeBackend } from '../../../../shared/contract/training';
import { useStudiesStore } from '../studies/store';
import { useTrainingStore } from '../training/store';
import { useSettingsStore } from './store';

const BACKEND_LABEL: Record<EngineBackendChoice, string> = {
  auto: 'Automatic (the fastest that works here)',
  'tfjs-node-gpu': 'TensorFlow on the GPU (CUDA installed by hand)',
  webgpu: 'WebGPU (any GPU, with its ordinary driver)',
  'tfjs-node': 'TensorFlow on the CPU (native)',
  wasm: 'WebAssembly (portable)',
  cpu: 'Plain JavaScript (slowest, always works)',
};

/** What the engine last ran on (the latest job or speed measurement), with its adapter. */
function BackendInUse() {
  const backend = useTrainingStore((s) => s.job?.backend ?? s.estimate?.backend);
  if (!backend) return null;
  return (
    <p className="hint" role="status" title={backend.reason}>
      In use: <strong>{describeBackend(backend)}</strong>
      {backend.adapter ? ` on ${backend.adapter}` : ''}.
    </p>
  );
}

const MIN_MIB = 512;
const MAX_MIB = 262144;
const MAX_THREADS = 256;

export function SettingsDialog() {
  const isOpen = useSettingsStore((s) => s.isOpen);
  if (!isOpen) return null;
  return <SettingsForm />;
}

function SettingsForm() {
  const current = useStudiesStore((s) => s.app?.settings) ?? DEFAULT_APP_SETTINGS;
  const { save, close } = useSettingsStore.getState();
  const saving = useSettingsStore((s) => s.saving);
  const error = useSettingsStore((s) => s.error);
  const [backend, setBackend] = useState<EngineBackendChoice>(current.backend);
  const [memory, setMemory] = useState(String(current.maxHeapMiB));
  const [threadsAuto, setThreadsAuto] = useState(current.threads === null);
  const [threads, setThreads] = useState(String(current.threads ?? 2));
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);

  const mib = Number(memory);
  const memoryValid = Number.isInteger(mib) && mib >= MIN_MIB && mib <= MAX_MIB;
  const threadCount = Number(threads);
  const threadsValid =
    threadsAuto ||
    (Number.isInteger(threadCount) && threadCount >= 1 && threadCount <= MAX_THREADS);
  const valid = memoryValid && threadsValid;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) void save({ backend, maxHeapMiB: mib, threads: threadsAuto ? null : threadCount });
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <form
        className="modal settings-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="settings-title"
        onSubmit={submit}
        onKeyDown={(e) => {
          // Keys typed here must not reach the viewer's shortcuts.
          e.stopPropagation();
          if (e.key === 'Escape') close();
        }}
      >
        <h2 id="settings-title">Settings</h2>
        <label>
          Engine backend
          <select
            ref={first}
            value={backend}
            onChange={(e) => setBackend(e.target.value as EngineBackendChoice)}
          >
            {ENGINE_BACKENDS.map((b) => (
              <option key={b} value={b}>
                {BACKEND_LABEL[b]}
              </option>
            ))}
          </select>
        </label>
        <BackendInUse />
        <fieldset className="settings-threads">
          <legend>Compute threads (CPU and WebAssembly backends)</legend>
          <label className="inline">
            <input
              type="radio"
              name="threads"
              checked={threadsAuto}
              onChange={() => setThreadsAuto(true)}
            />
            Automatic (the physical cores minus one)
          </label>
          <label className="inline">
            <input
              type="radio"
              name="threads"
              checked={!threadsAuto}
              onChange={() => setThreadsAuto(false)}
            />
            This many:
            <input
              type="number"
              min={1}
              max={MAX_THREADS}
              value={threads}
              disabled={threadsAuto}
              onChange={(e) => setThreads(e.target.value)}
              aria-label="Compute threads"
              aria-invalid={!threadsValid}
            />
          </label>
          {!threadsValid && (
            <p className="hint">Enter a whole number of threads from 1 to {MAX_THREADS}.</p>
          )}
        </fieldset>
        <label>
          Memory budget of the engine (MiB)
          <input
            type="number"
            min={MIN_MIB}
            max={MAX_MIB}
            step={256}
            value={memory}
            onChange={(e) => setMemory(e.target.value)}
            aria-invalid={!memoryValid}
            aria-describedby="memory-hint"
          />
        </label>
        <p id="memory-hint" className="hint">
          {memoryValid
            ? 'The most memory training or prediction may use. Lower it if the engine runs out of memory on this machine; raise it for large volumes.'
            : `Enter a whole number from ${MIN_MIB} to ${MAX_MIB}.`}
        </p>
        <p className="hint">Changes apply from the next training or prediction on.</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={saving || !valid}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
