// Unit tests of the PACS job's words (Node): percentage, ETA, the progress line, and the
// retrieve result's headline and lines.
import { describe, expect, it } from 'vitest';
import type { PacsRetrieveResult } from '../../../../shared/contract/pacs';
import { formatDicomDate, formatPersonName } from './dicomText';
import { errorLine, jobErrorLine } from './errorText';
import { ApiError } from '../../../../shared/contract/errors';
import {
  etaText,
  jobEnded,
  progressPercent,
  progressText,
  retrieveHeadline,
  retrieveNotes,
} from './jobText';

describe('PACS job text', () => {
  it('shows done / total, the percentage and the time left while running', () => {
    expect(progressPercent({ done: 0, total: 0 })).toBe(0);
    expect(progressPercent({ done: 1, total: 3 })).toBe(33);
    expect(progressPercent({ done: 5, total: 3 })).toBe(100);
    expect(
      progressText({
        phase: 'downloading',
        progress: { done: 12, total: 40, item: 'x', etaSeconds: 19.6 },
      }),
    ).toBe('Downloading 12 / 40 (30%), about 20 s left');
    expect(
      progressText({
        phase: 'downloading',
        progress: { done: 7, total: 40, item: '', resumed: 5 },
      }),
    ).toBe('Downloading 7 / 40 (17%) — 5 found from an interrupted retrieve');
    expect(progressText({ phase: 'starting' })).toBe('Starting');
    expect(progressText({ phase: 'finished', progress: { done: 2, total: 2, item: '' } })).toBe(
      'Finished',
    );
  });

  it('writes the ETA in seconds, minutes or hours', () => {
    expect(etaText(42)).toBe('about 42 s left');
    expect(etaText(170)).toBe('about 3 min left');
    expect(etaText(3900)).toBe('about 1 h 5 min left');
    expect(etaText(7200)).toBe('about 2 h left');
  });

  it('knows when a job has ended', () => {
    expect(jobEnded(null)).toBe(true);
    expect(jobEnded({ phase: 'sending' })).toBe(false);
    expect(jobEnded({ phase: 'cancelled' })).toBe(true);
  });

  it('sums up a retrieve: imported, SEGs attached, skipped with reasons, warnings', () => {
    const result: PacsRetrieveResult = {
      imported: [{ id: 'P1_T1', seriesInstanceUid: '1.2', labeled: true, warnings: ['tilted'] }],
      segmentations: [{ studyId: 'P1_T1', versionId: 'v0001', sopInstanceUid: '1.3' }],
      skipped: [{ source: 'series 1.4', reason: 'a MOSAIC series' }],
      warnings: ['slow server'],
      downloaded: 40,
      resumed: 8,
    };
    expect(retrieveHeadline(result)).toBe(
      'Imported 1 study, attached 1 SEG, skipped 1 (40 instances downloaded, 8 resumed)',
    );
    expect(retrieveNotes(result)).toEqual([
      'Study P1_T1 (with its label)',
      'SEG attached to P1_T1 as v0001',
      'Skipped series 1.4: a MOSAIC series',
      'Warning: slow server',
      'Warning: P1_T1: tilted',
    ]);
  });

  it('turns errors into one line saying what kind of failure it was', () => {
    expect(errorLine(new ApiError('UNREACHABLE', 'http://x refused the\nconnection'))).toBe(
      'PACS unreachable: http://x refused the connection',
    );
    expect(jobErrorLine({ code: 'AUTH_FAILED', message: 'HTTP 401' })).toBe(
      'PACS refused the credentials: HTTP 401',
    );
    expect(errorLine(new Error('plain'))).toBe('plain');
  });

  it('formats DICOM dates and person names', () => {
    expect(formatDicomDate('20240102')).toBe('2024-01-02');
    expect(formatDicomDate(undefined)).toBe('');
    expect(formatPersonName('Müller^Anna')).toBe('Müller, Anna');
    expect(formatPersonName('Doe^John^Q^Dr^Jr')).toBe('Doe, Dr John Q Jr');
    expect(formatPersonName('Yamada^Tarou=山田^太郎')).toBe('Yamada, Tarou');
  });
});
