// Undo/redo history of labelmap edits (renderer, pure): a bounded stack of voxel diffs. Holds at
// least `minSteps` steps; beyond that the oldest are dropped once the byte budget is exceeded.
import { diffByteSize, type LabelDiff } from '../../viewer/labelDiff';

export class EditHistory {
  private done: LabelDiff[] = [];
  private undone: LabelDiff[] = [];
  private bytes = 0;

  constructor(
    private readonly maxSteps = 200,
    private readonly minSteps = 50,
    private readonly maxBytes = 512 * 1024 * 1024,
  ) {}

  push(diff: LabelDiff): void {
    this.done.push(diff);
    this.bytes += diffByteSize(diff);
    for (const dropped of this.undone) this.bytes -= diffByteSize(dropped);
    this.undone = [];
    while (
      this.done.length > this.maxSteps ||
      (this.done.length > this.minSteps && this.bytes > this.maxBytes)
    ) {
      this.bytes -= diffByteSize(this.done.shift()!);
    }
  }

  /** The step to revert, moved to the redo stack; null when there is none. */
  undo(): LabelDiff | null {
    const diff = this.done.pop();
    if (!diff) return null;
    this.undone.push(diff);
    return diff;
  }

  redo(): LabelDiff | null {
    const diff = this.undone.pop();
    if (!diff) return null;
    this.done.push(diff);
    return diff;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.bytes = 0;
  }

  get undoCount(): number {
    return this.done.length;
  }

  get redoCount(): number {
    return this.undone.length;
  }
}
