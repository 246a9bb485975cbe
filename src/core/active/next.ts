// "Next study" (pure): the best-ranked study that is neither the open one nor one the user
// skipped this round, so Next never bounces between two undecided studies; once every study
// has been skipped, the one skipped longest ago comes back.
import type { RankedStudy } from './rank';

export function pickNext<T extends RankedStudy>(
  ranked: T[],
  current: string | null,
  /** Studies left undecided with Next, oldest first. */
  skipped: string[],
): T | null {
  const others = ranked.filter((r) => r.studyId !== current);
  const fresh = others.find((r) => !skipped.includes(r.studyId));
  if (fresh) return fresh;
  for (const id of skipped) {
    const again = others.find((r) => r.studyId === id);
    if (again) return again;
  }
  return null;
}
