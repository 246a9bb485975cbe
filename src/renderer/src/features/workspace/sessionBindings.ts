// Session bindings (renderer): connects a new viewer session to the app — its events to the
// stores and to label editing, the tool and label settings of the stores to its parts — and
// hands it to the study loader. Returns the disconnect, for when the views go away. The view
// commands reach the session in view through currentSession().
import { DEFAULT_LABEL_DISPLAY, useAnnotationStore } from '../annotation/store';
import { labelEditing, studyLoader } from '../editor/instance';
import { useCursorStore, useViewsStore } from '../editor/store';
import { useStudiesStore } from '../studies/store';
import type { LabelAppearance, SessionEvent, ViewerSession } from '../../viewer/session';

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
        return labelEditing.record(event.diff);
      case 'cursor':
        return useCursorStore.setState({ readout: event.readout });
      case 'views':
        return useViewsStore.setState((s) => ({ tick: s.tick + 1 }));
      case 'window':
        return useAnnotationStore.getState().setWindow(event.lower, event.upper);
    }
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
  studyLoader.attach(session);
  return () => {
    studyLoader.detach();
    for (const detach of detachers) detach();
    if (current === session) current = null;
  };
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
