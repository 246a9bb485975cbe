// The viewer panel (renderer): three orthogonal views of the open study with overlays (slice,
// orientation, crosshair, annotated-slice strip), the proposal banner, what to check after
// finishing, and the slice tools of the active view. Creates the Cornerstone session once,
// connects it to the app (sessionBindings.ts), and renders the overlays from the session's
// navigation whenever a view changes.
import { useEffect, useRef, useState } from 'react';
import { useAnnotationStore } from '../annotation/store';
import { slicesOn } from '../editor/annotatedSlices';
import { FinishWarnings } from '../editor/FinishWarnings';
import { useEditStore, useViewsStore } from '../editor/store';
import { ProposalBanner } from '../review/ProposalBanner';
import { ViewerSession } from '../../viewer/session';
import { installTestHooks } from '../../viewer/testHooks';
import { VIEWPORT_IDS, type ViewportId } from '../../viewer/toolIds';
import { connectSession } from './sessionBindings';
import { SliceTools } from './SliceTools';
import { ViewportOverlay } from './ViewportOverlay';

const TITLES: Record<ViewportId, string> = {
  axial: 'Axial',
  sagittal: 'Sagittal',
  coronal: 'Coronal',
};
const COLORS: Record<ViewportId, string> = {
  axial: '#e8c33c',
  sagittal: '#4fb0e8',
  coronal: '#6fd36f',
};

export function ViewerPanel() {
  const elements = useRef<Partial<Record<ViewportId, HTMLDivElement | null>>>({});
  const [session, setSession] = useState<ViewerSession | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  useViewsStore((s) => s.tick);
  const loading = useEditStore((s) => s.loading);
  const loadError = useEditStore((s) => s.loadError);
  const studyId = useEditStore((s) => s.studyId);
  const activeViewport = useAnnotationStore((s) => s.activeViewport);
  const reviewing = useEditStore((s) => s.review !== null);
  const annotated = useEditStore((s) => s.annotated);
  const final = useEditStore((s) => s.final);
  const shown = Boolean(session && studyId && !loading);
  const infoOf = (id: ViewportId) => (shown ? (session?.navigation.viewInfo(id) ?? null) : null);
  /** The annotated slices along the axis a view looks along (a proposal has none). */
  const annotatedIn = (id: ViewportId) => {
    const info = infoOf(id);
    return info && !reviewing ? slicesOn(annotated, info.sliceAxis) : [];
  };

  useEffect(() => {
    let created: ViewerSession | null = null;
    let disconnect: (() => void) | undefined;
    let cancelled = false;
    const els = elements.current as Record<ViewportId, HTMLDivElement>;
    ViewerSession.create(els)
      .then((s) => {
        if (cancelled) return s.destroy();
        created = s;
        disconnect = connectSession(s);
        installTestHooks(s);
        setSession(s);
      })
      .catch((error: Error) => setStartError(error.message));
    return () => {
      cancelled = true;
      if (created) {
        disconnect?.();
        created.destroy();
      }
    };
  }, []);

  const onWheel = (event: React.WheelEvent) => {
    // Shift+wheel resizes the brush, as in 3D Slicer; the plain wheel scrolls slices.
    if (!event.shiftKey) return;
    event.stopPropagation();
    useAnnotationStore.getState().stepBrushRadius(event.deltaY < 0 || event.deltaX < 0 ? 1 : -1);
  };

  return (
    <section className="viewer" aria-label="Image views">
      {startError && (
        <p role="alert" className="error">
          The viewer could not start: {startError}. It needs WebGL 2.
        </p>
      )}
      {!studyId && <p className="viewer-hint">Choose a study in the list to open it.</p>}
      {loading && (
        <p className="viewer-hint" role="status">
          Loading {studyId}…
        </p>
      )}
      {loadError && (
        <p role="alert" className="error">
          Cannot open {studyId}: {loadError}
        </p>
      )}
      <ProposalBanner />
      <FinishWarnings />
      <div className={`viewer-grid${reviewing ? ' reviewing' : ''}`} data-loaded={shown}>
        {VIEWPORT_IDS.map((id) => (
          <div
            key={id}
            className={`viewport-cell${activeViewport === id ? ' active' : ''}`}
            data-view={id}
            onPointerEnter={() => useAnnotationStore.getState().setActiveViewport(id)}
            onWheelCapture={onWheel}
          >
            <div
              ref={(el) => {
                elements.current[id] = el;
              }}
              className="viewport-element"
              role="img"
              aria-label={`${TITLES[id]} view`}
              data-viewport={id}
            />
            <ViewportOverlay
              title={TITLES[id]}
              color={COLORS[id]}
              info={infoOf(id)}
              annotated={annotatedIn(id)}
              allAnnotated={final && !reviewing}
            />
          </div>
        ))}
      </div>
      <SliceTools title={TITLES[activeViewport]} info={infoOf(activeViewport)} />
    </section>
  );
}
