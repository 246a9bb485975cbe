// Application shell (renderer): study list, toolbar, the three views and the side panels;
// wires study selection to the editor, keyboard shortcuts, the help overlay and the guard
// against closing the page with unsaved edits.
import { useEffect, useMemo, useState } from 'react';
import { StudyList } from './features/studies/StudyList';
import { useStudiesStore } from './features/studies/store';
import { Toolbar } from './features/annotation/Toolbar';
import { LabelPanel } from './features/annotation/LabelPanel';
import { WindowPanel } from './features/annotation/WindowPanel';
import { SaveStatus } from './features/editor/SaveStatus';
import { CursorReadout } from './features/editor/CursorReadout';
import { editor } from './features/editor/editor';
import { ExportPanel } from './features/project/ExportPanel';
import { ImportPanel } from './features/project/ImportPanel';
import { HelpOverlay } from './features/shortcuts/HelpOverlay';
import { useShortcuts } from './features/shortcuts/useShortcuts';
import { ViewerPanel } from './viewer/ViewerPanel';

export function App() {
  const projectName = useStudiesStore((s) => s.project?.name);
  const currentStudyId = useStudiesStore((s) => s.currentStudyId);
  const [helpOpen, setHelpOpen] = useState(false);
  const help = useMemo(
    () => ({ toggle: () => setHelpOpen((open) => !open), close: () => setHelpOpen(false) }),
    [],
  );
  useShortcuts(help);

  useEffect(() => {
    if (currentStudyId) void editor.openStudy(currentStudyId);
  }, [currentStudyId]);

  useEffect(() => {
    const guard = (event: BeforeUnloadEvent) => {
      editor.flushToQueue();
      if (!editor.hasUnsavedWork()) return;
      event.preventDefault();
      event.returnValue = ''; // older engines need this to show the "leave page?" prompt
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>SimCVD Workstation</h1>
        {projectName && <span className="project-name">{projectName}</span>}
        <SaveStatus />
        <button type="button" className="help-button" onClick={help.toggle} aria-haspopup="dialog">
          Help (?)
        </button>
      </header>
      <aside className="sidebar-left">
        <StudyList />
        <ImportPanel />
      </aside>
      <main className="workspace">
        <Toolbar />
        <ViewerPanel />
        <CursorReadout />
      </main>
      <aside className="sidebar-right">
        <LabelPanel />
        <WindowPanel />
        <ExportPanel />
      </aside>
      {helpOpen && <HelpOverlay help={help} />}
    </div>
  );
}
