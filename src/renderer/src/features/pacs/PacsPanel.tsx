// The PACS tab of the import panel (renderer): DICOMweb sources, study search, the chosen
// study's series, the retrieve job and interrupted retrieves. Mounted for as long as a project
// is open (the tab only hides it), so a retrieve's end refreshes the lists even from another tab.
import { useEffect } from 'react';
import { usePacsJobStore } from './jobStore';
import { PartialRetrieves } from './PartialRetrieves';
import { RetrieveJobView } from './RetrieveJobView';
import { usePacsSearchStore } from './searchStore';
import { SeriesTable } from './SeriesTable';
import { SourceList } from './SourceList';
import { useSourcesStore } from './sourcesStore';
import { StudySearch } from './StudySearch';
import './pacs.css';

export function PacsPanel() {
  useEffect(() => usePacsJobStore.getState().connect(), []);
  useEffect(() => {
    void useSourcesStore.getState().load();
  }, []);
  // "already imported as" changes when a retrieve ends.
  useEffect(
    () =>
      usePacsJobStore.getState().onEnded((job) => {
        if (job.kind === 'retrieve') void usePacsSearchStore.getState().reloadSeries();
      }),
    [],
  );
  return (
    <div className="pacs-panel">
      <SourceList />
      <StudySearch />
      <SeriesTable />
      <RetrieveJobView />
      <PartialRetrieves />
    </div>
  );
}
