// Unit tests of the "Add source" form (Node): what blocks saving, the saveSource params (empty
// secrets left out so the stored or environment one is kept), and the secret's origin line.
import { describe, expect, it } from 'vitest';
import { EMPTY_SOURCE_FORM, authText, sourceFormProblem, sourceInput } from './sourceForm';

const form = (patch = {}) => ({
  ...EMPTY_SOURCE_FORM,
  id: 'pacs1',
  baseUrl: 'https://pacs.example.org/dicom-web',
  ...patch,
});

describe('source form', () => {
  it('says what blocks saving', () => {
    expect(sourceFormProblem(form())).toBeNull();
    expect(sourceFormProblem(form({ id: ' ' }))).toMatch(/Give the source an ID/);
    expect(sourceFormProblem(form({ id: '-bad' }))).toMatch(/starting with a letter or digit/);
    expect(sourceFormProblem(form({ baseUrl: '' }))).toMatch(/base URL/);
    expect(sourceFormProblem(form({ baseUrl: 'pacs.example.org' }))).toMatch(/is not a URL/);
    expect(sourceFormProblem(form({ baseUrl: 'ftp://pacs/x' }))).toMatch(/https:\/\/ or http/);
    expect(sourceFormProblem(form({ baseUrl: 'https://u:pw@pacs/x' }))).toMatch(
      /Leave the user name and password out of the URL/,
    );
    expect(sourceFormProblem(form({ auth: 'basic', username: ' ' }))).toMatch(/user name/);
  });

  it('builds the saveSource params, trimmed, secrets only when typed', () => {
    expect(sourceInput(form({ id: ' pacs1 ', name: '  ' }))).toEqual({
      id: 'pacs1',
      baseUrl: 'https://pacs.example.org/dicom-web',
      auth: { kind: 'none' },
    });
    expect(
      sourceInput(form({ name: 'Radiology', auth: 'basic', username: ' alice ', password: 'pw ' })),
    ).toEqual({
      id: 'pacs1',
      name: 'Radiology',
      baseUrl: 'https://pacs.example.org/dicom-web',
      auth: { kind: 'basic', username: 'alice', password: 'pw ' },
    });
    expect(sourceInput(form({ auth: 'basic', username: 'alice' })).auth).toEqual({
      kind: 'basic',
      username: 'alice',
    });
    expect(sourceInput(form({ auth: 'bearer', token: 't0k', password: 'x' })).auth).toEqual({
      kind: 'bearer',
      token: 't0k',
    });
    expect(sourceInput(form({ auth: 'bearer' })).auth).toEqual({ kind: 'bearer' });
  });

  it('says where the secret comes from, never what it is', () => {
    expect(authText({ auth: { kind: 'none' }, secret: 'none' })).toBe('No credentials');
    expect(authText({ auth: { kind: 'basic', username: 'alice' }, secret: 'stored' })).toBe(
      'HTTP basic as "alice", password stored for this user',
    );
    expect(authText({ auth: { kind: 'bearer' }, secret: 'environment' })).toBe(
      'Bearer token, token from SIMCVD_DICOMWEB_TOKEN',
    );
    expect(authText({ auth: { kind: 'basic', username: 'bob' }, secret: 'missing' })).toMatch(
      /no password: save it again with one, or set SIMCVD_DICOMWEB_PASSWORD/,
    );
  });
});
