// Retrieve requests (renderer, pure): the ticked series → pacs.retrieve params, and an
// interrupted retrieve (pacs.status `partial`) → the same retrieve again, which resumes it
// (the back end keeps the downloaded instances and fetches only the rest).
import type { ApiParams } from '../../../../shared/contract/api';
import type { PacsSeries, PartialRetrieve } from '../../../../shared/contract/pacs';

/** Series that can be ticked: not yet in the project. */
export function retrievable(series: PacsSeries[]): PacsSeries[] {
  return series.filter((s) => !s.importedAs);
}

export function retrieveParams(
  server: string,
  series: PacsSeries[],
  chosen: ReadonlySet<string>,
): ApiParams<'pacs.retrieve'> | null {
  const picked = retrievable(series).filter((s) => chosen.has(s.seriesInstanceUid));
  if (picked.length === 0) return null;
  return {
    server,
    series: picked.map((s) => ({
      studyInstanceUid: s.studyInstanceUid,
      seriesInstanceUid: s.seriesInstanceUid,
    })),
  };
}

export function resumeParams(partial: PartialRetrieve): ApiParams<'pacs.retrieve'> {
  return {
    // The registered source brings its credentials; a bare URL takes the environment's.
    server: partial.sourceId ?? partial.baseUrl,
    series: [
      {
        studyInstanceUid: partial.studyInstanceUid,
        seriesInstanceUid: partial.seriesInstanceUid,
      },
    ],
  };
}

export function partialText(partial: PartialRetrieve): string {
  return `${partial.downloaded} / ${partial.total} instances of series ${partial.seriesInstanceUid} from ${partial.sourceId ?? partial.baseUrl}`;
}
