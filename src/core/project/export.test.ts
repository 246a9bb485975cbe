// Unit tests of the export plan (Node, no files): label origin through restore chains, the
// include filter, which studies are skipped and why, and refusal of unknown studies.
import { describe, expect, it } from 'vitest';
import type { LabelVersion, Provenance, StudyRecord } from '../../shared/contract/project';
import { labelOrigin, planExport } from './export';

function version(id: string, provenance: Provenance, final = true): LabelVersion {
  return {
    id,
    createdAt: '2025-01-01T00:00:00.000Z',
    file: `labels/${id}.nii.gz`,
    provenance,
    voxelCounts: { '1': 10 },
    final,
  };
}

function study(id: string, versions: LabelVersion[], current = versions.at(-1)?.id): StudyRecord {
  return {
    id,
    source: { kind: 'nifti', path: `/data/${id}.nii.gz`, importedAt: '2025-01-01T00:00:00Z' },
    dims: [4, 4, 2],
    spacingMm: [1, 1, 1],
    affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    geometry: {
      qformCode: 1,
      sformCode: 1,
      quatern: [0, 0, 0],
      qoffset: [0, 0, 0],
      qfac: 1,
      pixdim: [1, 1, 1],
      srow: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0],
      xyztUnits: 10,
    },
    imageType: 'int16',
    currentLabel: current ?? null,
    labelVersions: versions,
  };
}

const model: Provenance = { kind: 'model', modelId: 'm0001', edited: false };
const human: Provenance = { kind: 'human', author: 'ana' };
const imported: Provenance = { kind: 'import', sourcePath: '/data/a_mask.nii.gz' };
const restore = (fromVersion: string): Provenance => ({ kind: 'restore', fromVersion });

const STUDIES = [
  study('drawn', [version('v0001', human)]),
  study('imported', [version('v0001', imported)]),
  study('accepted', [version('v0001', { ...model, edited: true })]),
  study('draft', [version('v0001', human), version('v0002', model, false)]),
  study('unlabeled', []),
  // Restore of a restore of an accepted proposal, after a human version in between.
  study('restored', [
    version('v0001', model),
    version('v0002', human),
    version('v0003', restore('v0001')),
    version('v0004', restore('v0003')),
  ]),
];

describe('labelOrigin', () => {
  it('counts model provenance as accepted and human, import as human', () => {
    expect(labelOrigin(STUDIES[0]!, 'v0001')).toBe('human');
    expect(labelOrigin(STUDIES[1]!, 'v0001')).toBe('human');
    expect(labelOrigin(STUDIES[2]!, 'v0001')).toBe('accepted');
  });

  it('follows restores to the version they copy', () => {
    const s = STUDIES[5]!;
    expect(labelOrigin(s, 'v0004')).toBe('accepted');
    expect(labelOrigin(s, 'v0003')).toBe('accepted');
    const back = study('back', [...s.labelVersions, version('v0005', restore('v0002'))]);
    expect(labelOrigin(back, 'v0005')).toBe('human');
  });

  it('treats a broken or cyclic chain as human instead of looping', () => {
    const broken = study('b', [version('v0002', restore('v0001'))]);
    expect(labelOrigin(broken, 'v0002')).toBe('human');
    const cyclic = study('c', [
      version('v0001', restore('v0002')),
      version('v0002', restore('v0001')),
    ]);
    expect(labelOrigin(cyclic, 'v0002')).toBe('human');
  });
});

describe('planExport', () => {
  const planned = (options: Parameters<typeof planExport>[1]) => {
    const plan = planExport(STUDIES, options);
    return {
      files: plan.items.map((i) => `${i.study.id}:${i.version.id}:${i.origin}`),
      skipped: plan.skipped.map((s) => s.studyId),
    };
  };

  it('exports every final label by default and reports drafts, not unlabeled studies', () => {
    expect(planned({})).toEqual({
      files: [
        'drawn:v0001:human',
        'imported:v0001:human',
        'accepted:v0001:accepted',
        'restored:v0004:accepted',
      ],
      skipped: ['draft'],
    });
    expect(planExport(STUDIES).skipped[0]!.reason).toMatch(/v0002 is a draft/);
  });

  it('filters by origin', () => {
    expect(planned({ include: { human: true, accepted: false } })).toEqual({
      files: ['drawn:v0001:human', 'imported:v0001:human'],
      skipped: ['draft'],
    });
    expect(planned({ include: { human: false, accepted: true } })).toEqual({
      files: ['accepted:v0001:accepted', 'restored:v0004:accepted'],
      skipped: ['draft'],
    });
  });

  it('explains every named study it does not export', () => {
    const plan = planExport(STUDIES, {
      studies: ['unlabeled', 'drawn', 'accepted', 'draft', 'drawn'],
      include: { human: false, accepted: true },
    });
    expect(plan.items.map((i) => i.study.id)).toEqual(['accepted']);
    expect(Object.fromEntries(plan.skipped.map((s) => [s.studyId, s.reason]))).toEqual({
      drawn: 'label v0001 is a human label, which was not included',
      draft: 'label v0002 is a draft: mark the annotation finished to export it',
      unlabeled: 'unlabeled: no label to export',
    });
  });

  it('refuses unknown or malformed study IDs', () => {
    expect(() => planExport(STUDIES, { studies: ['nope'] })).toThrow(/Study "nope" does not exist/);
    expect(() => planExport(STUDIES, { studies: ['../x'] })).toThrow(/Invalid study ID/);
  });
});
