// Project store public API (plain Node).
export {
  createProject,
  ProjectStore,
  type OpenOptions,
  type SaveLabelOptions,
  type StudyProblem,
  type StudyReview,
} from './store';
export { repairStudy, removeStudy, REMOVED_DIR } from './studyRepair';
export {
  importStudies,
  type ImportOptions,
  type ImportedStudy,
  type ImportResult,
  type ImportSkip,
  type NonFinitePolicy,
} from './import';
export {
  exportLabels,
  exportProposals,
  labelOrigin,
  planProposalExport,
  planExport,
  prepareOutputFolder,
  type ExportInclude,
  type ExportOptions,
  type ExportPlan,
  type ExportProgress,
  type ExportSkip,
  type ExportSummary,
  type ProposalExportPlan,
  type ExportedFile,
  type ExportedLabelFile,
  type LabelOrigin,
} from './export';
export { projectPaths, assertValidId, idFromName, resolveInside } from './paths';
export {
  listModels,
  getModel,
  registerModel,
  runFolder,
  resumableRunDir,
  modelWeightsDir,
  readModelHistory,
  RUNS_DIR,
  SUPERSEDED_FILE,
  type ModelHistory,
} from './models';
export { activeModelId, listModelIds, setActiveModel, ACTIVE_MODEL_FILE } from './activeModel';
export {
  annotatedVoxels,
  finishWarnings,
  normalizeAnnotatedSlices,
  NO_SLICES,
  withSlices,
} from './annotation';
export {
  acceptProposal,
  decisionFor,
  hasPendingProposal,
  listProposalsForReview,
  readProposal,
  rejectProposal,
  reviewView,
  summarizeForReview,
  summarizeStudies,
  summarizeStudyById,
  proposalBrief,
  uncertaintyToBytes,
  undoRejectProposal,
  type AcceptRequest,
  type ProposalDecision,
  type ProposalListEntry,
  type ReviewView,
} from './review';
export { modelProposals, type ModelProposals, type ReviewedProposal } from './proposalFacts';
export {
  discardProposalDraft,
  proposalDraftInfo,
  readProposalDraft,
  saveProposalDraft,
  type ProposalDraftInfo,
} from './proposalDrafts';
export {
  listProposals,
  proposalFile,
  proposalsDir,
  resolveModelId,
  PROPOSAL_FILES,
  type ProposalSummary,
} from './proposals';
