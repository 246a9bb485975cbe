// DICOMweb sources (renderer, zustand): the registered sources of this user (no secrets ever
// reach the renderer), the one searched, adding, testing and removing. All I/O goes through
// the API client; every failure becomes a one-line message next to what caused it.
import { create } from 'zustand';
import type { PacsSourceSummary } from '../../../../shared/contract/pacs';
import { api } from '../../api/client';
import { errorLine } from './errorText';
import { sourceFormProblem, sourceInput, type SourceForm } from './sourceForm';

export interface SourceTest {
  ok: boolean;
  text: string;
}

interface SourcesState {
  sources: PacsSourceSummary[];
  /** The per-user file holding them (shown so an administrator knows where they live). */
  configFile: string | null;
  selectedId: string | null;
  loaded: boolean;
  error: string | null;
  /** Last test outcome per source ID (undefined: never tested; null: running). */
  tests: Record<string, SourceTest | null>;
  load(): Promise<void>;
  select(sourceId: string): void;
  /** Saves the form; resolves to the problem, or null when saved. */
  add(form: SourceForm): Promise<string | null>;
  test(sourceId: string): Promise<void>;
  remove(sourceId: string): Promise<void>;
}

export const useSourcesStore = create<SourcesState>((set, get) => ({
  sources: [],
  configFile: null,
  selectedId: null,
  loaded: false,
  error: null,
  tests: {},

  async load() {
    try {
      const { sources, configFile } = await api.call('pacs.listSources', {});
      const selected = get().selectedId;
      set({
        sources,
        configFile,
        loaded: true,
        error: null,
        selectedId: sources.some((s) => s.id === selected) ? selected : (sources[0]?.id ?? null),
      });
    } catch (error) {
      set({ loaded: true, error: errorLine(error) });
    }
  },

  select(sourceId) {
    set({ selectedId: sourceId });
  },

  async add(form) {
    const problem = sourceFormProblem(form);
    if (problem) return problem;
    try {
      const { source } = await api.call('pacs.saveSource', sourceInput(form));
      await get().load();
      // A replaced source's old test result no longer says anything.
      const tests = { ...get().tests };
      delete tests[source.id];
      set({ selectedId: source.id, tests });
      return null;
    } catch (error) {
      return errorLine(error);
    }
  },

  async test(sourceId) {
    set({ tests: { ...get().tests, [sourceId]: null } });
    let outcome: SourceTest;
    try {
      const { latencyMs } = await api.call('pacs.testSource', { server: sourceId });
      outcome = { ok: true, text: `Connected: answered in ${latencyMs} ms` };
    } catch (error) {
      outcome = { ok: false, text: errorLine(error) };
    }
    set({ tests: { ...get().tests, [sourceId]: outcome } });
  },

  async remove(sourceId) {
    try {
      await api.call('pacs.removeSource', { sourceId });
      const tests = { ...get().tests };
      delete tests[sourceId];
      set({ tests });
      await get().load();
    } catch (error) {
      set({ error: errorLine(error) });
    }
  },
}));
