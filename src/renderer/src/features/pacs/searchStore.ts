// PACS search (renderer, zustand): the filter form, the studies found (QIDO-RS), the study
// chosen and its series with "already imported as", and the series ticked for retrieve. The
// server each answer came from is kept with it, so a retrieve goes where the rows came from
// even if another source is chosen meanwhile.
import { create } from 'zustand';
import type { PacsSeries, PacsStudy } from '../../../../shared/contract/pacs';
import { api } from '../../api/client';
import { errorLine } from './errorText';
import { EMPTY_SEARCH, searchProblem, studySearchParams, type SearchForm } from './searchFilters';
import { retrievable } from './retrieveRequest';

interface SearchState {
  form: SearchForm;
  /** The source the shown studies came from (null: no search yet). */
  server: string | null;
  studies: PacsStudy[];
  truncated: boolean;
  searching: boolean;
  error: string | null;
  studyUid: string | null;
  series: PacsSeries[];
  seriesLoading: boolean;
  seriesError: string | null;
  /** SeriesInstanceUIDs ticked for retrieve. */
  chosen: string[];
  setForm(patch: Partial<SearchForm>): void;
  clearForm(): void;
  search(server: string): Promise<void>;
  openStudy(studyUid: string): Promise<void>;
  /** Asks for the open study's series again (after a retrieve: "already imported as"). */
  reloadSeries(): Promise<void>;
  toggleSeries(seriesUid: string, chosen: boolean): void;
  chooseAllSeries(): void;
}

export const usePacsSearchStore = create<SearchState>((set, get) => ({
  form: EMPTY_SEARCH,
  server: null,
  studies: [],
  truncated: false,
  searching: false,
  error: null,
  studyUid: null,
  series: [],
  seriesLoading: false,
  seriesError: null,
  chosen: [],

  setForm(patch) {
    set({ form: { ...get().form, ...patch } });
  },
  clearForm() {
    set({ form: EMPTY_SEARCH });
  },

  async search(server) {
    const problem = searchProblem(get().form);
    if (problem) {
      set({ error: problem });
      return;
    }
    set({ searching: true, error: null });
    try {
      const found = await api.call('pacs.searchStudies', studySearchParams(server, get().form));
      set({
        server,
        studies: found.studies,
        truncated: found.truncated,
        searching: false,
        studyUid: null,
        series: [],
        seriesError: null,
        chosen: [],
      });
    } catch (error) {
      set({ searching: false, error: errorLine(error) });
    }
  },

  async openStudy(studyUid) {
    set({ studyUid, series: [], chosen: [], seriesError: null });
    await get().reloadSeries();
  },

  async reloadSeries() {
    const { server, studyUid } = get();
    if (!server || !studyUid) return;
    set({ seriesLoading: true });
    try {
      const { series } = await api.call('pacs.searchSeries', {
        server,
        studyInstanceUid: studyUid,
      });
      if (get().studyUid !== studyUid) return; // another study was opened meanwhile
      const open = new Set(retrievable(series).map((s) => s.seriesInstanceUid));
      set({
        series,
        seriesLoading: false,
        seriesError: null,
        chosen: get().chosen.filter((uid) => open.has(uid)),
      });
    } catch (error) {
      if (get().studyUid === studyUid) set({ seriesLoading: false, seriesError: errorLine(error) });
    }
  },

  toggleSeries(seriesUid, chosen) {
    const rest = get().chosen.filter((uid) => uid !== seriesUid);
    set({ chosen: chosen ? [...rest, seriesUid] : rest });
  },
  chooseAllSeries() {
    set({ chosen: retrievable(get().series).map((s) => s.seriesInstanceUid) });
  },
}));
