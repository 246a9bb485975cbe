// DICOM SEG export state (renderer, zustand): the destination (a folder, or STOW-RS back to
// each study's PACS), which studies can get a SEG and where (`pacs.segTargets`), and the job
// this panel started — run as the project's PACS job (features/pacs jobStore), so progress,
// cancel and the result come from there.
import { create } from 'zustand';
import type { SegTarget } from '../../../../shared/contract/pacs';
import { api } from '../../api/client';
import { labelEditing } from '../editor/instance';
import { errorLine } from '../pacs/errorText';
import { usePacsJobStore } from '../pacs/jobStore';
import {
  segExportParams,
  segExportProblem,
  segStudyRows,
  type SegChoices,
  type SegDestination,
} from './segExportRequest';

interface SegExportState {
  destination: SegDestination;
  targets: SegTarget[];
  targetsLoaded: boolean;
  /** The export job started here (the PACS job slot also shows retrieves). */
  jobId: string | null;
  error: string | null;
  setDestination(destination: SegDestination): void;
  loadTargets(): Promise<void>;
  run(choices: Omit<SegChoices, 'destination'>): Promise<void>;
}

export const useSegExportStore = create<SegExportState>((set, get) => ({
  destination: 'folder',
  targets: [],
  targetsLoaded: false,
  jobId: null,
  error: null,

  setDestination(destination) {
    set({ destination, error: null });
  },

  async loadTargets() {
    try {
      const { studies } = await api.call('pacs.segTargets', {});
      set({ targets: studies, targetsLoaded: true, error: null });
    } catch (error) {
      set({ targetsLoaded: true, error: errorLine(error) });
    }
  },

  async run(partial) {
    set({ error: null });
    try {
      // Export what is on screen, not an older version (a save can also finish a label).
      labelEditing.flushToQueue();
      await labelEditing.queue.whenSettled();
    } catch (error) {
      set({ error: errorLine(error) });
      return;
    }
    const choices: SegChoices = { ...partial, destination: get().destination };
    const problem = segExportProblem(
      choices,
      segStudyRows(choices.studyIds, get().targets, choices.destination),
    );
    if (problem) {
      set({ error: problem });
      return;
    }
    const jobs = usePacsJobStore.getState();
    if (await jobs.exportSeg(segExportParams(choices)))
      set({ jobId: usePacsJobStore.getState().job?.id ?? null });
    else set({ error: usePacsJobStore.getState().error });
  },
}));
