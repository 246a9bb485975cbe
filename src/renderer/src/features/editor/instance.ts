// The app's editor (renderer): its one context, label editing and study loader, created once
// at module level like the stores. The workspace puts the viewer session in (StudyLoader.attach).
import { api } from '../../api/client';
import type { EditorContext } from './context';
import { LabelEditing } from './labelEditing';
import { StudyLoader } from './studyLoader';

export const editorContext: EditorContext = { api, session: null };
export const labelEditing = new LabelEditing(editorContext);
export const studyLoader = new StudyLoader(editorContext, labelEditing);
