import { describe, expect, it } from 'vitest';
import { authFromEnv, authorizationHeader, authSecrets } from './auth';
import { redactUrl, scrubSecrets } from './redact';
import { normalizeBaseUrl } from './server';

describe('secrets in messages', () => {
  it('redacts user info and credential-like query values from URLs', () => {
    expect(
      redactUrl('https://bob:hunter2@pacs.example.org/dicom-web?access_token=abc&limit=5'),
    ).toBe('https://pacs.example.org/dicom-web?access_token=***&limit=5');
    expect(redactUrl('not a url')).toBe('(an invalid URL)');
  });

  it('scrubs every form of a secret from text', () => {
    const auth = { kind: 'basic' as const, username: 'bob', password: 'hunter2' };
    const header = authorizationHeader(auth)!;
    const text = `refused hunter2 and ${header}`;
    const scrubbed = scrubSecrets(text, authSecrets(auth));
    expect(scrubbed).not.toContain('hunter2');
    expect(scrubbed).not.toContain(header.slice(6));
    expect(
      scrubSecrets('token xyz123 here', authSecrets({ kind: 'bearer', token: 'xyz123' })),
    ).toBe('token *** here');
  });

  it('refuses credentials in a base URL without echoing them', () => {
    expect(() => normalizeBaseUrl('http://bob:hunter2@pacs/dicom-web')).toThrow(/not in the URL/);
    try {
      normalizeBaseUrl('http://bob:hunter2@pacs/dicom-web');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(normalizeBaseUrl('https://pacs.example.org/dicom-web/')).toBe(
      'https://pacs.example.org/dicom-web',
    );
    expect(() => normalizeBaseUrl('ftp://pacs/x')).toThrow(/not an http\(s\) URL/);
    expect(() => normalizeBaseUrl('https://pacs/x?token=1')).toThrow(/no query/);
  });
});

describe('credentials from the environment', () => {
  it('prefers a token, takes user and password together, refuses a user alone', () => {
    expect(authFromEnv({ SIMCVD_DICOMWEB_TOKEN: 't', SIMCVD_DICOMWEB_USER: 'u' })).toEqual({
      kind: 'bearer',
      token: 't',
    });
    expect(authFromEnv({ SIMCVD_DICOMWEB_USER: 'u', SIMCVD_DICOMWEB_PASSWORD: '' })).toEqual({
      kind: 'basic',
      username: 'u',
      password: '',
    });
    expect(authFromEnv({})).toBeUndefined();
    expect(() => authFromEnv({ SIMCVD_DICOMWEB_USER: 'u' })).toThrow(
      /SIMCVD_DICOMWEB_PASSWORD is not/,
    );
  });
});
