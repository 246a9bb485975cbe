// What the editor parts work with (renderer, no UI): the API client and, while the views exist,
// the viewer session. Both are injected through this small context, so unit tests run the
// parts against fakes; the app's one context lives in ./instance.ts.
import type { ApiClient } from '../../../../shared/contract/api';
import type { VolumeHeader } from '../../../../shared/contract/volume';
import type { LabelLayer } from '../../viewer/labelLayer';
import type { Navigation } from '../../viewer/navigation';
import type { ReviewDisplay } from '../../viewer/reviewDisplay';
import type { StudyData } from '../../viewer/session';

/** The parts of the viewer session (viewer/session.ts) that the editor and proposal review use. */
export interface EditorSession {
  readonly studyId: string | undefined;
  readonly header: VolumeHeader | undefined;
  load(study: StudyData): Promise<void>;
  readonly labels: Pick<LabelLayer, 'strokeInProgress' | 'flush' | 'apply' | 'replace' | 'read'>;
  readonly navigation: Pick<
    Navigation,
    'showFileSlice' | 'sliceAxis' | 'viewInfo' | 'jumpToVoxel' | 'crosshairVoxel'
  >;
  readonly review: Pick<
    ReviewDisplay,
    'setLabelmapMode' | 'showUncertainty' | 'showReference' | 'setReferenceVisible'
  >;
}

export interface EditorContext {
  readonly api: Pick<ApiClient, 'call'>;
  /** The viewer session while the views exist (StudyLoader.attach / detach set it). */
  session: EditorSession | null;
}
