// Remembering the open study and crosshair per project across a reload (pure, fake storage).
import { describe, expect, it } from 'vitest';
import { recallView, rememberView } from './viewMemory';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe('view memory', () => {
  it('gives back the study and voxel remembered for the same project only', () => {
    const storage = memoryStorage();
    rememberView(storage, '/p', { studyId: 'case_004', voxel: [10, 20, 39] });
    expect(recallView(storage, '/p')).toEqual({ studyId: 'case_004', voxel: [10, 20, 39] });
    expect(recallView(storage, '/other')).toBeNull();
  });

  it('ignores what it cannot read', () => {
    const storage = memoryStorage();
    expect(recallView(storage, '/p')).toBeNull();
    storage.setItem('simcvd.view', '{not json');
    expect(recallView(storage, '/p')).toBeNull();
    storage.setItem('simcvd.view', JSON.stringify({ root: '/p', studyId: 's', voxel: [1, 2] }));
    expect(recallView(storage, '/p')).toBeNull();
  });
});
