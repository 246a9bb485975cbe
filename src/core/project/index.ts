// Project store public API (plain Node).
export { createProject, ProjectStore, type OpenOptions, type SaveLabelOptions } from './store';
export {
  importStudies,
  type ImportOptions,
  type ImportedStudy,
  type NonFinitePolicy,
} from './import';
export { exportLabels, exportProposals, type ExportOptions, type ExportedFile } from './export';
export { projectPaths, assertValidId, idFromName, resolveInside } from './paths';
export {
  listModels,
  getModel,
  registerModel,
  runFolder,
  modelWeightsDir,
  RUNS_DIR,
} from './models';
export {
  listProposals,
  proposalFile,
  proposalsDir,
  resolveModelId,
  PROPOSAL_FILES,
  type ProposalSummary,
} from './proposals';
