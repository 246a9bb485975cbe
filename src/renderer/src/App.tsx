// Application shell (renderer).
import { StudyList } from './features/studies/StudyList';

export function App() {
  return (
    <main>
      <h1>SimCVD Workstation</h1>
      <StudyList />
    </main>
  );
}
