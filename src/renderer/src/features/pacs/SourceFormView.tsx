// "Add source" form (renderer): ID, name, DICOMweb base URL and authentication; the password
// and token fields are password inputs, sent once to the back end (which keeps them in a
// per-user file) and never shown again.
import { useState } from 'react';
import type { PacsAuthKind } from '../../../../shared/contract/pacs';
import { EMPTY_SOURCE_FORM, sourceFormProblem, type SourceForm } from './sourceForm';
import { useSourcesStore } from './sourcesStore';

export function SourceFormView({ onDone }: { onDone(): void }) {
  const add = useSourcesStore((s) => s.add);
  const [form, setForm] = useState<SourceForm>(EMPTY_SOURCE_FORM);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const patch = (p: Partial<SourceForm>) => {
    setForm({ ...form, ...p });
    setError(null);
  };
  const problem = sourceFormProblem(form);

  const save = async () => {
    setBusy(true);
    const failed = await add(form);
    setBusy(false);
    if (failed) setError(failed);
    else {
      setForm(EMPTY_SOURCE_FORM); // the secret leaves the page's memory with the form
      onDone();
    }
  };

  return (
    <form
      className="pacs-source-form"
      aria-label="Add a DICOMweb source"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Source ID
        <input
          type="text"
          value={form.id}
          placeholder="pacs1"
          onChange={(e) => patch({ id: e.target.value })}
        />
      </label>
      <label>
        Name
        <input
          type="text"
          value={form.name}
          placeholder="Radiology PACS"
          onChange={(e) => patch({ name: e.target.value })}
        />
      </label>
      <label>
        DICOMweb base URL
        <input
          type="url"
          value={form.baseUrl}
          placeholder="https://pacs.example.org/dicom-web"
          onChange={(e) => patch({ baseUrl: e.target.value })}
        />
      </label>
      <label>
        Authentication
        <select value={form.auth} onChange={(e) => patch({ auth: e.target.value as PacsAuthKind })}>
          <option value="none">None</option>
          <option value="basic">HTTP basic (user and password)</option>
          <option value="bearer">Bearer token</option>
        </select>
      </label>
      {form.auth === 'basic' && (
        <>
          <label>
            User name
            <input
              type="text"
              autoComplete="username"
              value={form.username}
              onChange={(e) => patch({ username: e.target.value })}
            />
          </label>
          <label>
            Password
            <input
              type="password"
              autoComplete="current-password"
              value={form.password}
              onChange={(e) => patch({ password: e.target.value })}
            />
          </label>
        </>
      )}
      {form.auth === 'bearer' && (
        <label>
          Token
          <input
            type="password"
            autoComplete="off"
            value={form.token}
            onChange={(e) => patch({ token: e.target.value })}
          />
        </label>
      )}
      {form.auth !== 'none' && (
        <p className="hint">
          Kept in a file only you can read. Left empty, it comes from{' '}
          {form.auth === 'basic' ? 'SIMCVD_DICOMWEB_PASSWORD' : 'SIMCVD_DICOMWEB_TOKEN'}.
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy || problem !== null}>
          {busy ? 'Saving…' : 'Save source'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {problem && form.id + form.baseUrl !== '' && <p className="hint">{problem}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
