// Study records (plain Node): reading one study.json against its schema, and scanning the
// studies/ folder so that one unreadable record is reported while the others still open.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  studyRecordSchema,
  type StudyProblem,
  type StudyRecord,
} from '../../shared/contract/project';
import { AppError } from '../errors';
import type { ProjectPaths } from './paths';
import { studyFolderProblem } from './studyRepair';

/** The study's record, validated; NOT_FOUND without one, CORRUPT_FILE when it is unreadable. */
export async function readStudyRecord(paths: ProjectPaths, id: string): Promise<StudyRecord> {
  const file = paths.studyFile(id);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `Study "${id}" does not exist in ${paths.root}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('CORRUPT_FILE', `${file} is not valid JSON.`);
  }
  const parsed = studyRecordSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      'CORRUPT_FILE',
      `${file} is not a valid study record: ${firstIssue(parsed.error)}. Repair the study ` +
        '(simcvd repair) or remove it (simcvd remove); the other studies are unaffected.',
    );
  }
  return parsed.data;
}

/**
 * Every study folder: the readable records, and for each unreadable one its path and reason.
 * `read` is the store's own reader, so a caller sees the records exactly as `getStudy` does.
 */
export async function scanStudyFolders(
  paths: ProjectPaths,
  read: (id: string) => Promise<StudyRecord>,
): Promise<{ studies: StudyRecord[]; problems: StudyProblem[] }> {
  const names = await fs.readdir(paths.studies).catch(() => [] as string[]);
  const studies: StudyRecord[] = [];
  const problems: StudyProblem[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    try {
      studies.push(await read(name));
    } catch (error) {
      const reason = await studyFolderProblem(paths, name, error);
      if (reason) problems.push({ studyId: name, path: path.join(paths.studies, name), reason });
    }
  }
  return { studies, problems };
}

/** "field.path: message" of a validation error's first issue (zod's own message is a JSON dump). */
export function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const field = issue.path.map(String).join('.');
  return field ? `field "${field}": ${issue.message}` : issue.message;
}
