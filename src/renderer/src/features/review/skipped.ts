// The studies left undecided with "Next study" (renderer, pure): oldest first, each once — a
// study skipped again moves to the end, so "Next" offers the one skipped longest ago only when
// nothing else waits (studies.next decides with this list).

export function withSkipped(skipped: readonly string[], studyId: string): string[] {
  return [...skipped.filter((id) => id !== studyId), studyId];
}
