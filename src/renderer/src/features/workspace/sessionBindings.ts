// Session bindings (renderer): connects a new viewer session to the app — its events to the
// stores and to label editing, the tool and label settings of the stores to its parts — and
// hands it to the study loader, reopening the study (and voxel) the tab showed before a reload.
// Returns the disconnect, for when the views go away. The view commands reach the session in
// view through currentSession().
import { DEFAULT_LABEL_DISPLAY, useAnnotationStore } from '../annotation/store';
import { labelEditing, studyLoader } from '../editor/instance';
import { useCursorStore, useViewsStore } from '../editor/store';
import { useStudiesStore } from '../studies/store';
import type { LabelAppearance, SessionEvent, ViewerSession } from '../../viewer/session';
import { recallView, rememberView } from './viewMemory';

let current: ViewerSession | null = null;

/** The viewer session while the views exist. */
export function currentSession(): ViewerSession | null {
  return current;
}

export function connectSession(session: ViewerSession): () => void {
  current = session;
  const onEvent = (event: SessionEvent) => {
    switch (event.type) {
      case 'edited':
        return labelEditing.record(event.diff, event.slice);
      case 'editStarted':
        return labelEditing.editStarted();
      case 'editUnchanged':
        return labelEditing.editUnchanged();
      case 'cursor':
        return useCursorStore.setState({ readout: event.readout });
      case 'views':
        rememberSoon();
        return useViewsStore.setState((s) => ({ tick: s.tick + 1 }));
      case 'window':
        return useAnnotationStore.getState().setWindow(event.lower, event.upper);
    }
  };
  // Where the user is, so a reload reopens the study there (written at most every 300 ms).
  let rememberTimer: ReturnType<typeof setTimeout> | undefined;
  const rememberSoon = () => {
    rememberTimer ??= setTimeout(() => {
      rememberTimer = undefined;
      const root = useStudiesStore.getState().project?.root;
      const studyId = session.studyId;
      const voxel = session.navigation.crosshairVoxel();
      if (root && studyId && voxel) rememberView(sessionStorage, root, { studyId, voxel });
    }, 300);
  };
  let lastAppearance = '';
  const applyAppearance = () => {
    const appearance = labelAppearance();
    const key = JSON.stringify(appearance);
    if (key === lastAppearance) return;
    lastAppearance = key;
    session.labels.setAppearance(appearance);
  };
  const applyToolState = () => {
    const s = useAnnotationStore.getState();
    session.tools.select(s.tool);
    session.tools.setBrush({
      radiusMm: s.brushRadiusMm,
      shape: s.brushShape,
      thresholdRange: s.thresholdRange,
    });
    session.labels.setActiveLabel(s.activeLabel);
    applyAppearance();
  };
  const detachers = [
    session.on(onEvent),
    useAnnotationStore.subscribe(applyToolState),
    useStudiesStore.subscribe(applyAppearance),
  ];
  applyToolState();
  restoreView();
  studyLoader.attach(session);
  return () => {
    clearTimeout(rememberTimer);
    studyLoader.detach();
    for (const detach of detachers) detach();
    if (current === session) current = null;
  };
}

/** After a reload: reopens the study the tab showed, at the same voxel. */
function restoreView(): void {
  const { project, currentStudyId } = useStudiesStore.getState();
  if (!project || currentStudyId) return;
  const view = recallView(sessionStorage, project.root);
  if (view && project.studies.some((s) => s.id === view.studyId))
    studyLoader.showStudyAtVoxel(view.studyId, view.voxel);
}

/** Each project label's colour with the user's visibility and opacity. */
function labelAppearance(): LabelAppearance[] {
  const labels = useStudiesStore.getState().project?.labels ?? [];
  const { display, labelsHidden } = useAnnotationStore.getState();
  return labels.map((l) => {
    const d = display[l.value] ?? DEFAULT_LABEL_DISPLAY;
    return {
      value: l.value,
      color: l.color,
      visible: d.visible && !labelsHidden,
      opacity: d.opacity,
    };
  });
}
