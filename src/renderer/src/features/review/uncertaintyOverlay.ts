// The uncertainty overlay switch (renderer, no UI): fetches the active model's uncertainty for
// the open study and hands it to the viewer; the choice stays on from study to study (it is
// refreshed after every load), and a study without a proposal just shows none ("unavailable").
import type { EditorContext } from '../editor/context';
import { useEditStore } from '../editor/store';
import type { StudyLoader } from '../editor/studyLoader';
import { fetchUncertainty } from './proposalApi';

export class UncertaintyOverlay {
  constructor(
    private readonly ctx: EditorContext,
    private readonly loader: Pick<StudyLoader, 'loadCount' | 'onOpened'>,
  ) {
    loader.onOpened(() => void this.refresh());
  }

  async set(on: boolean): Promise<void> {
    useEditStore.setState({ uncertainty: on ? 'loading' : 'off' });
    await this.refresh();
  }

  /** Shows or hides the overlay for the study now open, as the switch says. */
  async refresh(): Promise<void> {
    const { studyId, uncertainty } = useEditStore.getState();
    const session = this.ctx.session;
    const token = this.loader.loadCount;
    if (!session) return;
    if (uncertainty === 'off' || !studyId) {
      session.review.showUncertainty(null);
      return;
    }
    let bytes: Uint8Array | null;
    try {
      bytes = await fetchUncertainty(this.ctx.api, studyId);
    } catch {
      bytes = null; // this study has no proposal of the active model
    }
    if (this.loader.loadCount !== token || this.ctx.session !== session) return;
    if (useEditStore.getState().uncertainty === 'off') return;
    session.review.showUncertainty(bytes);
    useEditStore.setState({ uncertainty: bytes ? 'on' : 'unavailable' });
  }
}
