// View actions on the study in view (renderer): window presets, window/level, slice scrolling
// and resetting the views, through the viewer session's parts.
import { WINDOW_PRESETS } from '../annotation/presets';
import { useAnnotationStore } from '../annotation/store';
import type { ViewerSession } from '../../viewer/session';
import type { ViewportId } from '../../viewer/toolIds';
import { editorContext } from './instance';

const session = () => editorContext.session as ViewerSession | null;

export function applyPreset(presetId: string): void {
  const preset = WINDOW_PRESETS.find((p) => p.id === presetId);
  const header = session()?.header;
  if (!preset || !header) return;
  const [lower, upper] = preset.range(header);
  session()?.window.set(lower, upper > lower ? upper : lower + 1);
}

export function setWindow(lower: number, upper: number): void {
  if (upper > lower) session()?.window.set(lower, upper);
}

export function scrollActive(delta: number, viewportId?: ViewportId): void {
  session()?.navigation.scroll(viewportId ?? useAnnotationStore.getState().activeViewport, delta);
}

export function resetViews(): void {
  session()?.navigation.reset();
}
