// The open study and crosshair across a reload (renderer, browser storage): remembered per tab
// in sessionStorage (a reload keeps it, a new window starts fresh) and per project, so a reload
// reopens the study at the same voxel.
export type Voxel = [number, number, number];

export interface RememberedView {
  studyId: string;
  voxel: Voxel;
}

const KEY = 'simcvd.view';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export function rememberView(storage: Storage, root: string, view: RememberedView): void {
  try {
    storage.setItem(KEY, JSON.stringify({ root, ...view }));
  } catch {
    // Storage may be full or unavailable; then a reload starts without a study.
  }
}

/** The view remembered for the project at `root`, if it is well formed. */
export function recallView(storage: Storage, root: string): RememberedView | null {
  try {
    const saved = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<
      RememberedView & { root: string }
    > | null;
    if (saved?.root !== root || typeof saved.studyId !== 'string') return null;
    const voxel = saved.voxel;
    if (!Array.isArray(voxel) || voxel.length !== 3 || !voxel.every(Number.isInteger)) return null;
    return { studyId: saved.studyId, voxel: voxel as Voxel };
  } catch {
    return null;
  }
}
