// Key bindings (renderer, pure): which key presses run a command. A binding names the key
// (KeyboardEvent.key, case-insensitive) and, per modifier, whether it must be down, up, or
// either (left out). Cmd counts as Ctrl, so shortcuts read the same on macOS.
export interface KeyBinding {
  key: string;
  ctrl?: boolean;
  shift?: boolean;
  alt?: boolean;
}

export type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

export function matchesKey(binding: KeyBinding, press: KeyPress): boolean {
  const either = (wanted: boolean | undefined, down: boolean) =>
    wanted === undefined || wanted === down;
  return (
    press.key.toLowerCase() === binding.key.toLowerCase() &&
    either(binding.ctrl, press.ctrlKey || press.metaKey) &&
    either(binding.shift, press.shiftKey) &&
    either(binding.alt, press.altKey)
  );
}

/** The key alone, without Ctrl, Alt or Shift (letters, digits). */
export const plainKey = (key: string): KeyBinding => ({
  key,
  ctrl: false,
  alt: false,
  shift: false,
});

/** Ctrl (Cmd) + key, without Alt; Shift as given, or either. */
export const ctrlKey = (key: string, shift?: boolean): KeyBinding => ({
  key,
  ctrl: true,
  alt: false,
  ...(shift === undefined ? {} : { shift }),
});
