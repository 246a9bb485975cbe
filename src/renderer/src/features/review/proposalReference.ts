// A proposal as a reference layer (renderer, no UI): a study a person has started labeling is
// theirs — its proposal is not "to review" — but the active model's mask is drawn over their
// label as an outline they may hide, or merge into their label (one undoable edit that fills
// only what they left unpainted, so their own paint always wins).
import type { EditorContext } from '../editor/context';
import { useEditStore } from '../editor/store';
import { fetchProposalLabels } from './proposalApi';

export interface ReferenceMask {
  modelId: string;
  /** Label values, file order. */
  data: Uint8Array;
}

/** `own` with `proposal`'s values where `own` is background; `added`: voxels filled. */
export function mergeUnder(
  own: Uint8Array,
  proposal: Uint8Array,
): { merged: Uint8Array; added: number } {
  const merged = own.slice();
  let added = 0;
  for (let n = 0; n < merged.length; n++) {
    if (merged[n] === 0 && proposal[n]) {
      merged[n] = proposal[n]!;
      added++;
    }
  }
  return { merged, added };
}

export class ProposalReference {
  private shown: ReferenceMask | null = null;

  constructor(private readonly ctx: EditorContext) {}

  /** The active model's proposal for a study, or null when it has none. */
  fetch(studyId: string): Promise<ReferenceMask | null> {
    return fetchProposalLabels(this.ctx.api, studyId).catch(() => null);
  }

  get current(): ReferenceMask | null {
    return this.shown;
  }

  /** Draws `mask` over the study in view (null: none). */
  show(mask: ReferenceMask | null): void {
    this.shown = mask;
    const visible = useEditStore.getState().reference?.visible ?? true;
    this.ctx.session?.review.setReferenceVisible(visible);
    this.ctx.session?.review.showReference(mask?.data ?? null);
    useEditStore.setState({ reference: mask ? { modelId: mask.modelId, visible } : null });
  }

  /** The view left the study: the next one starts without a reference. */
  forget(): void {
    this.shown = null;
  }

  setVisible(visible: boolean): void {
    const reference = useEditStore.getState().reference;
    if (!reference) return;
    this.ctx.session?.review.setReferenceVisible(visible);
    useEditStore.setState({ reference: { ...reference, visible } });
  }

  /** Adds the reference to the person's label where they left it unpainted. */
  merge(): void {
    const session = this.ctx.session;
    const mask = this.shown;
    if (!session || !mask) return;
    session.labels.flush();
    const own = session.labels.read();
    if (!own || own.length !== mask.data.length) return;
    const { merged, added } = mergeUnder(own, mask.data);
    if (added > 0) session.labels.replace(merged);
    useEditStore.setState({
      message: added
        ? `Merged the proposal of ${mask.modelId} into your label: ${added.toLocaleString()} voxels added (Undo takes them back).`
        : `The proposal of ${mask.modelId} adds nothing your label does not already have.`,
    });
  }
}
