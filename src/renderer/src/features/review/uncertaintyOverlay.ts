// The uncertainty overlay switch (renderer): fetches the active model's uncertainty for the
// open study and hands it to the viewer; the choice stays on from study to study, and a study
// without a proposal just shows none ("unavailable").
import type { ViewerSession } from '../../viewer/session';
import { fetchUncertainty } from './proposalReview';
import { useEditStore } from './store';

export class UncertaintyOverlay {
  /** `view` gives the session and the editor's load counter (which study load is current). */
  constructor(private readonly view: () => { session: ViewerSession | null; token: number }) {}

  async set(on: boolean): Promise<void> {
    useEditStore.setState({ uncertainty: on ? 'loading' : 'off' });
    await this.refresh();
  }

  /** Shows or hides the overlay for the study now open, as the switch says. */
  async refresh(): Promise<void> {
    const { studyId, uncertainty } = useEditStore.getState();
    const { session, token } = this.view();
    if (!session) return;
    if (uncertainty === 'off' || !studyId) {
      session.review.showUncertainty(null);
      return;
    }
    let bytes: Uint8Array | null;
    try {
      bytes = await fetchUncertainty(studyId);
    } catch {
      bytes = null; // this study has no proposal of the active model
    }
    const now = this.view();
    if (now.token !== token || now.session !== session) return;
    if (useEditStore.getState().uncertainty === 'off') return;
    session.review.showUncertainty(bytes);
    useEditStore.setState({ uncertainty: bytes ? 'on' : 'unavailable' });
  }
}
