// Command ids (renderer, pure): every action the toolbar, the keyboard, the help overlay, the
// panels and the desktop menu run by id, with the argument it takes (undefined: none). A typo in
// an id or a wrong argument is a type error, not a silent no-op.
export interface CommandArgs {
  'tool.navigate': undefined;
  'tool.windowLevel': undefined;
  'tool.pan': undefined;
  'tool.zoom': undefined;
  'tool.brush': undefined;
  'tool.eraser': undefined;
  'tool.thresholdBrush': undefined;
  'tool.rectangleScissors': undefined;
  'tool.circleScissors': undefined;
  'tool.sphereScissors': undefined;
  'tool.fill': undefined;
  'brush.larger': undefined;
  'brush.smaller': undefined;
  'brush.toggleShape': undefined;
  'edit.undo': undefined;
  'edit.redo': undefined;
  'edit.save': undefined;
  'edit.interpolate': undefined;
  /** Marks the active view's slice annotated (painted or "no structure"), or unmarks it. */
  'edit.toggleSliceDone': undefined;
  'view.toggleLabels': undefined;
  'view.nextSlice': undefined;
  'view.previousSlice': undefined;
  'view.tenSlicesForward': undefined;
  'view.tenSlicesBack': undefined;
  'view.reset': undefined;
  'view.nextUnannotatedSlice': undefined;
  /** One per window preset (features/annotation/presets.ts), by the preset's id. */
  [preset: `view.preset.${string}`]: undefined;
  /** Window in image intensity units, lower < upper. */
  'view.setWindow': { lower: number; upper: number };
  'review.accept': undefined;
  'review.reject': undefined;
  'review.nextStudy': undefined;
  'project.new': undefined;
  /** Without a path: ask for one (native dialog, or the typed-path form). */
  'project.open': { path?: string } | undefined;
  'project.openDemo': undefined;
  'project.close': undefined;
  'settings.open': undefined;
  'help.toggle': undefined;
  'help.show': undefined;
  'help.close': undefined;
}

export type CommandId = keyof CommandArgs & string;

/** The arguments of `run(id, …)`: none, optional or required, as the command takes them. */
export type ArgsOf<I extends CommandId> = undefined extends CommandArgs[I]
  ? [args?: CommandArgs[I]]
  : [args: CommandArgs[I]];
