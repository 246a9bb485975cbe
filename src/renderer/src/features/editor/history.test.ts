// Unit tests for the edit history (pure; runs in Node).
import { describe, expect, it } from 'vitest';
import type { LabelDiff } from '../../viewer/labelDiff';
import { EditHistory } from './history';

const step = (n: number): LabelDiff => ({
  indices: Uint32Array.of(n),
  before: Uint8Array.of(0),
  after: Uint8Array.of(1),
});

describe('EditHistory', () => {
  it('undoes and redoes in order, and a new edit clears redo', () => {
    const history = new EditHistory();
    history.push(step(1));
    history.push(step(2));
    expect(history.undo()!.indices[0]).toBe(2);
    expect(history.redoCount).toBe(1);
    expect(history.redo()!.indices[0]).toBe(2);
    history.undo();
    history.push(step(3));
    expect(history.redoCount).toBe(0);
    expect(history.undo()!.indices[0]).toBe(3);
    expect(history.undo()!.indices[0]).toBe(1);
    expect(history.undo()).toBeNull();
  });

  it('keeps at least 50 steps even over the byte budget, and at most maxSteps', () => {
    const history = new EditHistory(200, 50, 1);
    for (let n = 0; n < 120; n++) history.push(step(n));
    expect(history.undoCount).toBe(50);
    const roomy = new EditHistory(100, 50);
    for (let n = 0; n < 150; n++) roomy.push(step(n));
    expect(roomy.undoCount).toBe(100);
  });
});
