// Public API of the synthetic demo data generator (plain Node; generate.ts alone is
// browser-safe): seeded left-atrium-like MRI cases and a Decathlon-layout dataset writer.
export {
  DEFAULT_DEMO_DIMS,
  generateDemoCase,
  type DemoCase,
  type DemoCaseOptions,
} from './generate';
export {
  DEMO_GENERATOR,
  DEMO_MARKER_FILE,
  demoCaseSeed,
  writeDemoDataset,
  type DemoCaseFiles,
  type DemoDatasetOptions,
  type DemoDatasetSummary,
} from './dataset';
