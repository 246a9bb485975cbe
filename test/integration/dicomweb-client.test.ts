// The DICOMweb client against a scripted HTTP server on loopback (Node): bearer tokens sent and
// never shown, the errors of an unreachable, silent, refusing or babbling server (each naming
// the server and what was being done), size limits, a broken multipart answer, a server that
// will not send "any" transfer syntax, and STOW-RS outcomes; the sources file and how a
// server's credentials are found (stored, environment).
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DicomwebClient } from '../../src/core/pacs/client';
import { buildMultipart } from '../../src/core/pacs/multipart';
import type { DicomwebServer } from '../../src/core/pacs/server';
import {
  readSources,
  resolveOrigin,
  resolveServer,
  saveSource,
  sourcesFile,
  summarizeSource,
} from '../../src/core/pacs/sources';
import { tempDir } from '../helpers/fixtures';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

let server: http.Server;
let base: string;
let handler: Handler;
let dir: string;
const TOKEN = 'tok-5e9d-secret';

beforeAll(async () => {
  dir = await tempDir('simcvd-dicomweb-');
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
});

afterEach(() => {
  handler = (_req, res) => res.writeHead(500).end();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

function client(overrides: Partial<DicomwebServer> = {}, limits = {}): DicomwebClient {
  return new DicomwebClient(
    {
      baseUrl: base,
      label: 'Test PACS',
      auth: { kind: 'bearer', token: TOKEN },
      timeoutMs: 2000,
      ...overrides,
    },
    { limits },
  );
}

const study = (uid: string) => ({ '0020000D': { vr: 'UI', Value: [uid] } });

describe('DicomwebClient', () => {
  it('sends the bearer token and the filters, and reads the answer', async () => {
    let seen: http.IncomingMessage | undefined;
    handler = (req, res) => {
      seen = req;
      res
        .writeHead(200, { 'content-type': 'application/dicom+json' })
        .end(JSON.stringify([study('1.2.3')]));
    };
    const found = await client().searchStudies({ modality: 'MR', limit: 1 });
    expect(found.studies.map((s) => s.studyInstanceUid)).toEqual(['1.2.3']);
    expect(found.truncated).toBe(true);
    expect(seen!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen!.url).toMatch(/^\/dicom-web\/studies\?ModalitiesInStudy=MR&limit=1&includefield=/);
  });

  it('says when the server refuses the token, without the token, even when the server echoes it', async () => {
    handler = (req, res) => res.writeHead(401).end(`bad credentials: ${req.headers.authorization}`);
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => new Error('no error'),
        (e: Error) => e,
      );
    const error = await failure(client().searchStudies({}));
    expect(error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(error.message).toContain(
      'Test PACS refused a bearer token (HTTP 401 Unauthorized) while searching studies',
    );
    expect(error.message).not.toContain(TOKEN);
    // A failing server quoting the request back: the excerpt in the message is scrubbed.
    handler = (req, res) => res.writeHead(500).end(`crashed on ${req.headers.authorization}`);
    const echoed = await failure(client().searchStudies({}));
    expect(echoed.message).toMatch(/answered HTTP 500 .*: crashed on Bearer \*\*\*/);
    expect(echoed.message).not.toContain(TOKEN);
  });

  it('names an unreachable server and a silent one', async () => {
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve)); // nothing listens there now
    const closed = client({ baseUrl: `http://127.0.0.1:${port}/dicom-web`, label: 'Nowhere' });
    await expect(closed.searchStudies({})).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringMatching(
        /Could not reach Nowhere while searching studies: connection refused .*\(ECONNREFUSED\)/,
      ),
    });
    handler = () => undefined; // never answers
    const started = Date.now();
    await expect(client({ timeoutMs: 300 }).searchStudies({})).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringMatching(
        /Test PACS did not answer within 0.3 s while searching studies/,
      ),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops a body that stalls midway, and one larger than the limit', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/dicom+json' });
      res.write('[');
    };
    await expect(client({ timeoutMs: 300 }).searchStudies({})).rejects.toMatchObject({
      code: 'UNREACHABLE',
    });
    handler = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/dicom+json' })
        .end(JSON.stringify(Array(5000).fill(study('1.2'))));
    await expect(client({}, { searchBytes: 10_000 }).searchStudies({})).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(/sent more than 10 KiB while searching studies/),
    });
  });

  it('reports a server error with what it said, and an answer that is not DICOM JSON', async () => {
    handler = (_req, res) => res.writeHead(503, 'Service Unavailable').end('index is rebuilding');
    await expect(client().searchStudies({})).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message:
        'Test PACS answered HTTP 503 Service Unavailable while searching studies: index is rebuilding.',
    });
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    await expect(client().searchStudies({})).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(
        /not JSON while searching studies; is the URL the DICOMweb root\?/,
      ),
    });
    handler = (_req, res) => res.writeHead(204).end();
    expect((await client().searchStudies({})).studies).toEqual([]);
  });

  it('retrieves an instance from a multipart answer, falling back when "any syntax" is refused', async () => {
    const accepts: string[] = [];
    handler = (req, res) => {
      accepts.push(String(req.headers.accept));
      if (String(req.headers.accept).includes('transfer-syntax=*')) return res.writeHead(406).end();
      const { body, contentType } = buildMultipart(
        [{ contentType: 'application/dicom', body: Buffer.from('DICOM-BYTES') }],
        'application/dicom',
      );
      res.writeHead(200, { 'content-type': contentType }).end(body);
    };
    const bytes = await client().retrieveInstance({
      studyInstanceUid: '1',
      seriesInstanceUid: '2',
      sopInstanceUid: '3',
    });
    expect(Buffer.from(bytes).toString()).toBe('DICOM-BYTES');
    expect(accepts).toEqual([
      'multipart/related; type="application/dicom"; transfer-syntax=*',
      'multipart/related; type="application/dicom"',
    ]);
  });

  it('refuses a multipart answer cut short', async () => {
    handler = (_req, res) =>
      res
        .writeHead(200, {
          'content-type': 'multipart/related; type="application/dicom"; boundary=XYZ',
        })
        .end('--XYZ\r\nContent-Type: application/dicom\r\n\r\nhalf an instan');
    await expect(
      client().retrieveInstance({
        studyInstanceUid: '1',
        seriesInstanceUid: '2',
        sopInstanceUid: '3',
      }),
    ).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringMatching(/broken multipart body .*closing "--XYZ--" delimiter/),
    });
  });

  it('reads a STOW-RS answer: what was stored and what failed, with why', async () => {
    let received = '';
    handler = (req, res, body) => {
      received = `${req.method} ${req.url} ${req.headers['content-type']} ${body.length}`;
      res.writeHead(409, { 'content-type': 'application/dicom+json' }).end(
        JSON.stringify({
          '00081198': {
            vr: 'SQ',
            Value: [
              {
                '00081155': { vr: 'UI', Value: ['2.25.9'] },
                '00081197': { vr: 'US', Value: [0xa900] },
              },
            ],
          },
        }),
      );
    };
    const outcome = await client().store([Buffer.from('seg')], '1.2.3');
    expect(received).toMatch(
      /^POST \/dicom-web\/studies\/1\.2\.3 multipart\/related; type="application\/dicom"; boundary=simcvd-/,
    );
    expect(outcome).toEqual({
      stored: [],
      failed: [
        { sopInstanceUid: '2.25.9', reason: 'data set does not match the SOP class (0xA900)' },
      ],
      warnings: [],
    });
  });
});

describe('DICOMweb sources', () => {
  it('keeps secrets in a 0600 file, shows them never, and keeps a stored one when re-saved', async () => {
    const config = path.join(dir, 'config');
    await saveSource(config, {
      id: 'pacs',
      baseUrl: `${base}/`,
      auth: { kind: 'basic', username: 'bob', password: 'pw-1' },
    });
    expect((await fs.stat(sourcesFile(config))).mode & 0o777).toBe(0o600);
    await saveSource(config, {
      id: 'pacs',
      name: 'Hospital',
      baseUrl: base,
      auth: { kind: 'basic', username: 'bob' },
    });
    const [stored] = await readSources(config);
    expect(stored).toMatchObject({ name: 'Hospital', baseUrl: base, auth: { password: 'pw-1' } });
    const summary = summarizeSource(stored!, {});
    expect(JSON.stringify(summary)).not.toContain('pw-1');
    expect(summary).toMatchObject({ secret: 'stored', auth: { kind: 'basic', username: 'bob' } });
    // Another user name drops the old password: it was not theirs.
    await saveSource(config, {
      id: 'pacs',
      baseUrl: base,
      auth: { kind: 'basic', username: 'eve' },
    });
    expect(summarizeSource((await readSources(config))[0]!, {}).secret).toBe('missing');
    // A file someone made readable to others is made private again when read.
    await fs.chmod(sourcesFile(config), 0o644);
    await readSources(config);
    expect((await fs.stat(sourcesFile(config))).mode & 0o777).toBe(0o600);
  });

  it('finds credentials: a source by ID or URL, the environment for a bare URL or a missing secret', async () => {
    const config = path.join(dir, 'resolve');
    await saveSource(config, { id: 'a', baseUrl: base, auth: { kind: 'bearer', token: TOKEN } });
    await saveSource(config, {
      id: 'b',
      baseUrl: 'http://127.0.0.1:9/other',
      auth: { kind: 'basic', username: 'u' },
    });
    expect((await resolveServer(config, 'a', {})).auth).toEqual({ kind: 'bearer', token: TOKEN });
    expect((await resolveServer(config, `${base}/`, {})).sourceId).toBe('a');
    expect(
      (await resolveServer(config, 'http://127.0.0.1:9/elsewhere', { SIMCVD_DICOMWEB_TOKEN: 'e' }))
        .auth,
    ).toEqual({
      kind: 'bearer',
      token: 'e',
    });
    expect((await resolveServer(config, 'b', { SIMCVD_DICOMWEB_PASSWORD: 'p' })).auth).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
    });
    await expect(resolveServer(config, 'b', {})).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(
        /no password is stored for it or set in SIMCVD_DICOMWEB_PASSWORD/,
      ),
    });
    await expect(resolveServer(config, 'c', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/No DICOMweb source "c" \(registered: a, b\)/),
    });
    // A study records the source and URL; a renamed-away source falls back to the URL.
    expect((await resolveOrigin(config, { sourceId: 'gone', baseUrl: base }, {})).sourceId).toBe(
      'a',
    );
  });
});
