// Help overlay state (renderer, zustand): whether the list of shortcuts is open.
import { create } from 'zustand';

interface HelpState {
  open: boolean;
  show(): void;
  toggle(): void;
  close(): void;
}

export const useHelpStore = create<HelpState>((set, get) => ({
  open: false,
  show: () => set({ open: true }),
  toggle: () => set({ open: !get().open }),
  close: () => set({ open: false }),
}));
