// Fakes for the editor's and proposal review's unit tests (Node, no Cornerstone): a back end
// holding a few tiny studies with label versions and proposals, and a viewer session whose
// labelmap is a plain array (file order is display order here). Not part of the app bundle.
import type { ApiMethod, ApiParams, ApiResult } from '../../../../shared/contract/api';
import { ApiError } from '../../../../shared/contract/errors';
import type { ProjectInfo, StudyStatus } from '../../../../shared/contract/project';
import type { VolumeHeader } from '../../../../shared/contract/volume';
import { diffLabels, type LabelDiff } from '../../viewer/labelDiff';
import type { StudyData } from '../../viewer/session';
import { useAnnotationStore } from '../annotation/store';
import { useStudiesStore } from '../studies/store';
import type { EditorSession } from './context';
import { useCursorStore, useEditStore, useViewsStore } from './store';

export const VOXELS = 8;

export interface FakeStudy {
  status: StudyStatus;
  /** Stored label versions, oldest first. */
  versions: { id: string; data: Uint8Array; final: boolean }[];
  proposal: { modelId: string; data: Uint8Array; uncertainty: Uint8Array | null } | null;
}

export interface SaveCall {
  studyId: string;
  baseVersion: string | null | undefined;
  data: number[];
  final: boolean;
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
    const study: FakeStudy = { status: 'unlabeled', versions: [], proposal: null, ...patch };
    this.studies.set(id, study);
    return study;
  }

  /** A label version written by someone else (another window, the CLI). */
  addVersion(id: string, data: number[], final = false): string {
    const versionId = `v${++this.versionSerial}`;
    this.study(id).versions.push({ id: versionId, data: Uint8Array.from(data), final });
    return versionId;
  }

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
        const edited = p.data !== undefined;
        const data = edited ? new Uint8Array(p.data as ArrayBuffer) : proposal.data;
        const versionId = this.addVersion(studyId, [...data], true);
        study.status = 'labeled';
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
      default:
        throw new ApiError('UNSUPPORTED', `The fake back end has no ${method}.`);
    }
  }

  private save(studyId: string, p: Record<string, unknown>): unknown {
    const study = this.study(studyId);
    const data = [...new Uint8Array(p.data as ArrayBuffer)];
    const baseVersion = p.baseVersion as string | null | undefined;
    this.saves.push({ studyId, baseVersion, data, final: p.final as boolean });
    const failure = this.saveFailures.shift();
    if (failure) throw failure;
    const current = study.versions.at(-1)?.id ?? null;
    if (baseVersion !== undefined && baseVersion !== current)
      throw new ApiError('CONFLICT', `${studyId} was saved meanwhile (version ${current}).`);
    const versionId = this.addVersion(studyId, data, p.final as boolean);
    study.status = p.final ? 'labeled' : 'in-progress';
    const version = { id: versionId, final: p.final, provenance: { kind: 'human' } };
    return { version, study: this.summary(studyId) };
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

  constructor(
    /** Where finished edits are reported (label editing's record). */
    private readonly onEdited: (diff: LabelDiff) => void,
  ) {}

  async load(study: StudyData): Promise<void> {
    this.loads.push(study);
    await Promise.resolve();
    this.studyId = study.header.studyId;
    this.header = study.header;
    this.shown = study.labels ? study.labels.slice() : new Uint8Array(VOXELS);
    this.mode = 'human';
    this.uncertainty = null;
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
    replace: (fileOrder: Uint8Array) => this.change(fileOrder.slice()),
    read: () => (this.studyId ? this.shown.slice() : null),
  };

  readonly navigation = {
    showFileSlice: (axis: 0 | 1 | 2, index: number) => void this.shownSlices.push([axis, index]),
    sliceAxis: () => 0 as const,
  };

  readonly review = {
    setLabelmapMode: (mode: 'human' | 'proposal') => void (this.mode = mode),
    showUncertainty: (bytes: Uint8Array | null) => void (this.uncertainty = bytes),
  };

  /** A finished stroke: sets the voxels at `indices` to `value` and reports the edit. */
  paint(indices: number[], value: number): void {
    const next = this.shown.slice();
    for (const index of indices) next[index] = value;
    this.change(next);
  }

  private change(next: Uint8Array): void {
    const diff = diffLabels(this.shown, next);
    this.shown = next;
    if (diff) this.onEdited(diff);
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
