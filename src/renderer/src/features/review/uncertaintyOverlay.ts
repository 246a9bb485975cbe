// The uncertainty overlay switch (renderer, no UI): fetches the uncertainty of the proposal on
// screen (under review, or as a reference) — of that proposal's model, so overlay and mask
// always belong together — and hands it to the viewer. The choice stays from study to study;
// a study without a proposal shows none ("unavailable"). Refreshed after every load and when
// the proposal on screen changes without one (following a new active model).
import type { EditorContext } from '../editor/context';
import { useEditStore, type EditState } from '../editor/store';
import type { StudyLoader } from '../editor/studyLoader';
import { fetchUncertainty } from './proposalApi';

const shownModel = (s: EditState) => s.review?.modelId ?? s.reference?.modelId ?? null;

export class UncertaintyOverlay {
  constructor(
    private readonly ctx: EditorContext,
    private readonly loader: Pick<StudyLoader, 'loadCount' | 'onOpened'>,
  ) {
    loader.onOpened(() => void this.refresh());
    useEditStore.subscribe((state, before) => {
      const sameStudy = state.studyId === before.studyId && !state.loading && !before.loading;
      if (sameStudy && shownModel(state) !== shownModel(before)) void this.refresh();
    });
  }

  async set(on: boolean): Promise<void> {
    useEditStore.setState({ uncertainty: on ? 'loading' : 'off' });
    await this.refresh();
  }

  /** Shows or hides the overlay for the study now open, as the switch says. */
  async refresh(): Promise<void> {
    const state = useEditStore.getState();
    const { studyId, uncertainty } = state;
    const modelId = shownModel(state);
    const session = this.ctx.session;
    const token = this.loader.loadCount;
    if (!session) return;
    if (uncertainty === 'off' || !studyId || !modelId) {
      session.review.showUncertainty(null);
      if (uncertainty !== 'off') useEditStore.setState({ uncertainty: 'unavailable' });
      return;
    }
    let bytes: Uint8Array | null;
    try {
      bytes = await fetchUncertainty(this.ctx.api, studyId, modelId);
    } catch {
      bytes = null; // that proposal has no uncertainty map
    }
    if (this.loader.loadCount !== token || this.ctx.session !== session) return;
    if (useEditStore.getState().uncertainty === 'off') return;
    if (shownModel(useEditStore.getState()) !== modelId) return; // changed meanwhile
    session.review.showUncertainty(bytes);
    useEditStore.setState({ uncertainty: bytes ? 'on' : 'unavailable' });
  }
}
