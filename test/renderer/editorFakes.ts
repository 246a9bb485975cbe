// Fakes for the editor's and proposal review's unit tests (Node, no Cornerstone): a back end
// holding a few tiny studies with label versions and proposals, and a viewer session whose
// labelmap is a plain array (file order is display order here). Under test/, so never part of
// the app bundle; type-checked with the renderer (tsconfig.web.json).
import type { ApiMethod, ApiParams, ApiResult } from '../../src/shared/contract/api';
import { ApiError } from '../../src/shared/contract/errors';
import type { AnnotatedSlices, ProjectInfo, StudyStatus } from '../../src/shared/contract/project';
import type { VolumeHeader } from '../../src/shared/contract/volume';
import { diffLabels, type LabelDiff } from '../../src/renderer/src/viewer/labelDiff';
import type { FileSlice, StudyData } from '../../src/renderer/src/viewer/session';
import type { ViewInfo } from '../../src/renderer/src/viewer/viewInfo';
import { useAnnotationStore } from '../../src/renderer/src/features/annotation/store';
import { useStudiesStore } from '../../src/renderer/src/features/studies/store';
import type { EditorSession } from '../../src/renderer/src/features/editor/context';
import {
  useCursorStore,
  useEditStore,
  useViewsStore,
} from '../../src/renderer/src/features/editor/store';

export const VOXELS = 8;

export interface FakeStudy {
  status: StudyStatus;
  /** Stored label versions, oldest first. */
  versions: { id: string; data: Uint8Array; final: boolean; annotatedSlices?: AnnotatedSlices }[];
  proposal: { modelId: string; data: Uint8Array; uncertainty: Uint8Array | null } | null;
  /** A saved draft of the user's edits of the proposal. */
  draft: { modelId: string; data: Uint8Array; savedAt: string } | null;
}

export interface SaveCall {
  studyId: string;
  baseVersion: string | null | undefined;
  data: number[];
  final: boolean;
  /** Sent with saves that are not final. */
  annotatedSlices?: AnnotatedSlices;
}

function header(studyId: string): VolumeHeader {
  return {
    studyId,
    dims: [VOXELS, 1, 1],
    spacingMm: [1, 1, 1],
    affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    dataType: 'uint8',
    storedType: 'uint8',
    minValue: 0,
    maxValue: 255,
    robustRange: [0, 200],
  };
}

/** The back end of a project with studies s1, s2 (or those given), over the typed contract. */
export class FakeApi {
  readonly studies = new Map<string, FakeStudy>();
  readonly saves: SaveCall[] = [];
  readonly calls: { method: ApiMethod; params: unknown }[] = [];
  /** Errors the next label saves fail with, in order (then they succeed again). */
  readonly saveFailures: ApiError[] = [];
  private versionSerial = 0;

  addStudy(id: string, patch: Partial<FakeStudy> = {}): FakeStudy {
    const study: FakeStudy = {
      status: 'unlabeled',
      versions: [],
      proposal: null,
      draft: null,
      ...patch,
    };
    this.studies.set(id, study);
    return study;
  }

  /** A label version written by someone else (another window, the CLI). */
  addVersion(id: string, data: number[], final = false, annotatedSlices?: AnnotatedSlices): string {
    const versionId = `v${++this.versionSerial}`;
    this.study(id).versions.push({
      id: versionId,
      data: Uint8Array.from(data),
      final,
      ...(annotatedSlices && !final ? { annotatedSlices } : {}),
    });
    return versionId;
  }

  /** What a final save answers with (the back end's finishWarnings). */
  finishWarnings: string[] = [];
  /** Errors the next draft saves fail with, in order. */
  readonly draftFailures: ApiError[] = [];
  private draftSerial = 0;

  /** Puts the studies into the study list, as the app's `app.state` would. */
  publishProject(): void {
    useStudiesStore.setState({
      project: {
        root: '/fake',
        name: 'fake',
        labels: [],
        studies: [...this.studies].map(([id, s]) => ({ id, status: s.status })),
      } as unknown as ProjectInfo,
      currentStudyId: null,
    });
  }

  readonly call = async <M extends ApiMethod>(
    method: M,
    params: ApiParams<M>,
  ): Promise<ApiResult<M>> => {
    this.calls.push({ method, params });
    await Promise.resolve(); // answers come later, as over IPC
    return this.answer(method, params as Record<string, unknown>) as ApiResult<M>;
  };

  callsOf(method: ApiMethod): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  private study(id: string): FakeStudy {
    const study = this.studies.get(id);
    if (!study) throw new ApiError('NOT_FOUND', `No study ${id}.`);
    return study;
  }

  private summary(id: string) {
    return { id, status: this.study(id).status };
  }

  private answer(method: ApiMethod, p: Record<string, unknown>): unknown {
    const studyId = p.studyId as string;
    switch (method) {
      case 'volume.image':
        this.study(studyId);
        return { header: header(studyId), data: new Uint8Array(VOXELS).fill(100).buffer };
      case 'labels.read': {
        const latest = this.study(studyId).versions.at(-1);
        return {
          studyId,
          dims: [VOXELS, 1, 1],
          versionId: latest?.id ?? null,
          final: latest?.final ?? false,
          data: latest ? latest.data.slice().buffer : null,
        };
      }
      case 'labels.save':
        return this.save(studyId, p);
      case 'proposals.read': {
        const proposal = this.study(studyId).proposal;
        const data = p.kind === 'label' ? proposal?.data : proposal?.uncertainty;
        if (!proposal || !data) throw new ApiError('NOT_FOUND', `No proposal for ${studyId}.`);
        return { modelId: proposal.modelId, data: data.slice().buffer };
      }
      case 'proposals.accept': {
        const study = this.study(studyId);
        const proposal = study.proposal!;
        const data = p.data ? new Uint8Array(p.data as ArrayBuffer) : proposal.data;
        // As the back end: edited when the mask sent differs from the proposal.
        const edited = data.some((v, n) => v !== proposal.data[n]);
        const versionId = this.addVersion(studyId, [...data], true);
        study.status = 'labeled';
        study.draft = null;
        const version = {
          id: versionId,
          final: true,
          provenance: { kind: 'model', modelId: proposal.modelId, edited },
        };
        return { version, study: this.summary(studyId) };
      }
      case 'proposals.reject':
        this.study(studyId).status = 'rejected';
        return { study: this.summary(studyId) };
      case 'proposals.undoReject':
        this.study(studyId).status = 'proposal';
        return { study: this.summary(studyId) };
      case 'proposals.saveDraft': {
        const failure = this.draftFailures.shift();
        if (failure) throw failure;
        const savedAt = `t${++this.draftSerial}`;
        this.study(studyId).draft = {
          modelId: p.modelId as string,
          data: new Uint8Array(p.data as ArrayBuffer).slice(),
          savedAt,
        };
        return { savedAt };
      }
      case 'proposals.readDraft': {
        const draft = this.study(studyId).draft;
        return draft && draft.modelId === p.modelId
          ? { savedAt: draft.savedAt, data: draft.data.slice().buffer }
          : { savedAt: null, data: null };
      }
      case 'proposals.discardDraft': {
        const study = this.study(studyId);
        const had = study.draft?.modelId === p.modelId;
        if (had) study.draft = null;
        return { discarded: had };
      }
      case 'labels.list': {
        const versions = this.study(studyId).versions.map((v) => ({
          id: v.id,
          final: v.final,
          ...(v.annotatedSlices ? { annotatedSlices: v.annotatedSlices } : {}),
        }));
        return { versions, current: versions.at(-1)?.id ?? null };
      }
      default:
        throw new ApiError('UNSUPPORTED', `The fake back end has no ${method}.`);
    }
  }

  private save(studyId: string, p: Record<string, unknown>): unknown {
    const study = this.study(studyId);
    const data = [...new Uint8Array(p.data as ArrayBuffer)];
    const baseVersion = p.baseVersion as string | null | undefined;
    const annotatedSlices = p.annotatedSlices as AnnotatedSlices | undefined;
    this.saves.push({
      studyId,
      baseVersion,
      data,
      final: p.final as boolean,
      ...(annotatedSlices ? { annotatedSlices } : {}),
    });
    const failure = this.saveFailures.shift();
    if (failure) throw failure;
    const current = study.versions.at(-1)?.id ?? null;
    if (baseVersion !== undefined && baseVersion !== current)
      throw new ApiError('CONFLICT', `${studyId} was saved meanwhile (version ${current}).`);
    const versionId = this.addVersion(studyId, data, p.final as boolean, annotatedSlices);
    const partial = !p.final && annotatedSlices && annotatedSlices.k.length > 0;
    study.status = p.final ? 'labeled' : partial ? 'partial' : 'in-progress';
    const version = { id: versionId, final: p.final, provenance: { kind: 'human' } };
    const warnings = p.final ? this.finishWarnings : [];
    return { version, study: this.summary(studyId), warnings };
  }
}

/** A viewer session whose labelmap is an array of VOXELS labels. */
export class FakeSession implements EditorSession {
  studyId: string | undefined;
  header: VolumeHeader | undefined;
  readonly loads: StudyData[] = [];
  /** The labelmap on screen (file order). */
  shown: Uint8Array = new Uint8Array(VOXELS);
  mode: 'human' | 'proposal' = 'human';
  uncertainty: Uint8Array | null = null;
  stroke = false;
  readonly shownSlices: [number, number][] = [];
  /** The proposal drawn as a reference, and whether its outline is shown. */
  reference: Uint8Array | null = null;
  referenceVisible = true;
  /** The slice every view shows (the fake's views all look along i). */
  slice = 0;

  constructor(
    /** Where finished edits are reported (label editing's record). */
    private readonly onEdited: (diff: LabelDiff, slice: FileSlice | null) => void,
  ) {}

  async load(study: StudyData): Promise<void> {
    this.loads.push(study);
    await Promise.resolve();
    this.studyId = study.header.studyId;
    this.header = study.header;
    this.shown = study.labels ? study.labels.slice() : new Uint8Array(VOXELS);
    this.mode = 'human';
    this.uncertainty = null;
    this.reference = null;
  }

  readonly labels = {
    session: this,
    get strokeInProgress() {
      return this.session.stroke;
    },
    flush: () => undefined,
    apply: (diff: LabelDiff, direction: 'undo' | 'redo') => {
      const values = direction === 'undo' ? diff.before : diff.after;
      diff.indices.forEach((index, n) => (this.shown[index] = values[n]!));
    },
    replace: (fileOrder: Uint8Array) => this.change(fileOrder.slice(), null),
    read: () => (this.studyId ? this.shown.slice() : null),
  };

  readonly navigation = {
    showFileSlice: (axis: 0 | 1 | 2, index: number) => {
      this.shownSlices.push([axis, index]);
      if (axis === 0) this.slice = index;
    },
    sliceAxis: () => 0 as const,
    viewInfo: (): ViewInfo | null =>
      this.studyId
        ? {
            edges: { top: 'S', bottom: 'I', left: 'A', right: 'P' },
            sliceAxis: 0,
            sliceIndex: this.slice,
            sliceCount: VOXELS,
            sliceDirection: 1,
            crosshairCanvas: [0, 0],
          }
        : null,
    jumpToVoxel: (voxel: [number, number, number]) => {
      this.slice = voxel[0];
    },
    crosshairVoxel: (): [number, number, number] | null =>
      this.studyId ? [this.slice, 0, 0] : null,
  };

  readonly review = {
    setLabelmapMode: (mode: 'human' | 'proposal') => void (this.mode = mode),
    showUncertainty: (bytes: Uint8Array | null) => void (this.uncertainty = bytes),
    showReference: (labels: Uint8Array | null) => {
      this.reference = labels && this.referenceVisible ? labels.slice() : null;
      this.referenceLabels = labels;
    },
    setReferenceVisible: (visible: boolean) => {
      this.referenceVisible = visible;
      this.reference = visible && this.referenceLabels ? this.referenceLabels.slice() : null;
    },
  };

  private referenceLabels: Uint8Array | null = null;

  /**
   * A finished stroke on the slice in view (the fake's views look along i, so `slice` is the
   * annotated i-slice; null: no slice, as for a replacement).
   */
  paint(indices: number[], value: number, slice: number | null = null): void {
    const next = this.shown.slice();
    for (const index of indices) next[index] = value;
    this.change(next, slice === null ? null : { axis: 0, index: slice });
  }

  private change(next: Uint8Array, slice: FileSlice | null): void {
    const diff = diffLabels(this.shown, next);
    this.shown = next;
    if (diff) this.onEdited(diff, slice);
  }
}

/** Labels as a plain array, for comparisons. */
export const labelsOf = (labels: Uint8Array | null | undefined) => (labels ? [...labels] : null);

export function resetStores(): void {
  for (const store of [
    useEditStore,
    useCursorStore,
    useViewsStore,
    useStudiesStore,
    useAnnotationStore,
  ] as const) {
    (store as { setState(s: unknown, replace: true): void }).setState(
      store.getInitialState(),
      true,
    );
  }
}
