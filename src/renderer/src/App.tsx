// Application shell (renderer): the welcome screen while no project is open; otherwise the study
// list, toolbar, the three views and the side panels. Wires study selection to the study loader,
// keyboard shortcuts, the help overlay, the desktop menu's commands, the settings dialog and the
// guard against closing the page with unsaved edits.
import { useEffect } from 'react';
import { commands } from './commands/registry';
import { StudyList } from './features/studies/StudyList';
import { connectStudiesStore, useStudiesStore } from './features/studies/store';
import { Toolbar } from './features/annotation/Toolbar';
import { LabelPanel } from './features/annotation/LabelPanel';
import { WindowPanel } from './features/annotation/WindowPanel';
import { SaveStatus } from './features/editor/SaveStatus';
import { CursorReadout } from './features/editor/CursorReadout';
import { labelEditing, studyLoader } from './features/editor/instance';
import { ExportPanel } from './features/project/ExportPanel';
import { ImportPanel } from './features/project/ImportPanel';
import { HelpOverlay } from './features/shortcuts/HelpOverlay';
import { useHelpStore } from './features/shortcuts/helpStore';
import { useShortcuts } from './features/shortcuts/useShortcuts';
import { ViewerPanel } from './features/workspace/ViewerPanel';
import { TrainPanel } from './features/training/TrainPanel';
import { ReviewPanel } from './features/review/ReviewPanel';
import { proposalReview } from './features/review/instance';
import { ModelsPanel } from './features/models/ModelsPanel';
import { WelcomeScreen } from './features/welcome/WelcomeScreen';
import { GettingStarted } from './features/welcome/GettingStarted';
import { ProjectControls } from './features/welcome/ProjectControls';
import { connectShellCommands } from './features/welcome/shellCommands';
import { SettingsButton } from './features/settings/SettingsButton';
import { SettingsDialog } from './features/settings/SettingsDialog';

export function App() {
  const projectName = useStudiesStore((s) => s.project?.name);
  const projectRoot = useStudiesStore((s) => s.project?.root);
  const currentStudyId = useStudiesStore((s) => s.currentStudyId);
  const helpOpen = useHelpStore((s) => s.open);
  useShortcuts();
  useEffect(() => connectStudiesStore(), []);
  useEffect(() => connectShellCommands(), []);

  useEffect(() => {
    if (currentStudyId) void studyLoader.open(currentStudyId);
  }, [currentStudyId]);

  useEffect(() => {
    const guard = (event: BeforeUnloadEvent) => {
      labelEditing.flushToQueue();
      proposalReview.saveDraftNow();
      if (!labelEditing.hasUnsavedWork()) return;
      event.preventDefault();
      event.returnValue = ''; // older engines need this to show the "leave page?" prompt
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, []);

  if (!projectRoot)
    return (
      <>
        <WelcomeScreen />
        <SettingsDialog />
        {helpOpen && <HelpOverlay />}
      </>
    );

  // Keyed by project: every panel starts fresh when another project opens.
  return (
    <div className="app" key={projectRoot}>
      <header className="app-header">
        <h1>SimCVD Workstation</h1>
        {projectName && <span className="project-name">{projectName}</span>}
        <ProjectControls />
        <SaveStatus />
        <SettingsButton />
        <button
          type="button"
          className="help-button"
          onClick={() => commands.run('help.toggle')}
          aria-haspopup="dialog"
        >
          Help (?)
        </button>
      </header>
      <aside className="sidebar-left">
        <GettingStarted />
        <StudyList />
        <ReviewPanel />
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
        <TrainPanel />
        <ExportPanel />
        <ModelsPanel />
      </aside>
      {helpOpen && <HelpOverlay />}
      <SettingsDialog />
    </div>
  );
}
