// The app's proposal review (renderer): one ProposalReview and one uncertainty overlay over the
// app's editor (features/editor/instance.ts), created once at module level like the stores.
import { editorContext, labelEditing, studyLoader } from '../editor/instance';
import { ProposalReview } from './proposalReview';
import { UncertaintyOverlay } from './uncertaintyOverlay';

export const proposalReview = new ProposalReview(editorContext, studyLoader, labelEditing);
export const uncertaintyOverlay = new UncertaintyOverlay(editorContext, studyLoader);
