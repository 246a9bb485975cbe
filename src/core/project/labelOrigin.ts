// Where a label came from (plain Node): a version's content provenance follows restores back
// to the version they copy, so an accepted model proposal stays "accepted" after a restore.
import type { Provenance, StudyRecord } from '../../shared/contract/project';

/** "accepted": the label came from a model's proposal (possibly edited); "human": everything else. */
export type LabelOrigin = 'human' | 'accepted';

/**
 * The provenance of a version's content: a restore is a copy, so it is the provenance of the
 * version it copies (following restores of restores); undefined when a chain cannot be
 * followed (a missing or circular source).
 */
export function contentProvenance(study: StudyRecord, versionId: string): Provenance | undefined {
  const seen = new Set<string>();
  let version = study.labelVersions.find((v) => v.id === versionId);
  while (version && !seen.has(version.id)) {
    seen.add(version.id);
    const provenance = version.provenance;
    if (provenance.kind !== 'restore') return provenance;
    version = study.labelVersions.find((v) => v.id === provenance.fromVersion);
  }
  return undefined;
}

/**
 * Where a label version came from: a model's proposal (possibly edited) or a person. A chain
 * of restores that cannot be followed counts as human, since restoring is a person's act.
 */
export function labelOrigin(study: StudyRecord, versionId: string): LabelOrigin {
  return contentProvenance(study, versionId)?.kind === 'model' ? 'accepted' : 'human';
}
