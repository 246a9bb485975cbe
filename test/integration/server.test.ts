// Server mode over real HTTP and WebSocket (Node): every call must give exactly what `dispatch`
// gives in-process (the Electron IPC path), voxel data must travel as binary frames, and the
// access rules (loopback, Host/Origin checks, token) must hold.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectHandlers, dispatch } from '../../src/backend/handlers';
import { JobSlot } from '../../src/backend/jobs';
import { Workspace } from '../../src/backend/workspace';
import { DEFAULT_APP_SETTINGS } from '../../src/shared/contract/app';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src/shared/csp';
import { createProject, importStudies, ProjectStore } from '../../src/core/project';
import { writeVolumeFile } from '../../src/core/volume/nifti';
import { accessPolicy, createEventHub, startServer, type RunningServer } from '../../src/server';
import { decodeFrame, encodeFrame, FRAME_CONTENT_TYPE } from '../../src/shared/binaryFrame';
import type { ApiEventMessage } from '../../src/shared/contract/events';
import { makeAffine, makeImageAndMask, makeVolume, tempDir } from '../helpers/fixtures';

// Replies are checked field by field against expectations; a loose type keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = any;

let dir: string;
let store: ProjectStore;
let workspace: Workspace;
let server: RunningServer;
let base: string;
/** The server's random token (loopback needs one too): every call sends it. */
let auth: Record<string, string>;

async function call(
  method: string,
  params: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: Reply }> {
  const binary = params instanceof Uint8Array;
  const response = await fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': binary ? FRAME_CONTENT_TYPE : 'application/json',
      ...auth,
      ...headers,
    },
    body: binary ? params : JSON.stringify(params),
  });
  const type = response.headers.get('content-type') ?? '';
  const body = type.startsWith(FRAME_CONTENT_TYPE)
    ? { ok: true, result: decodeFrame(new Uint8Array(await response.arrayBuffer())) }
    : await response.json();
  return { status: response.status, type, body };
}

beforeAll(async () => {
  dir = await tempDir('simcvd-server-');
  const project = path.join(dir, 'project');
  await createProject(project);
  const affine = makeAffine([0.8, 0.8, 2.5], [-10, 5, 20], 15);
  const { image, mask } = makeImageAndMask([10, 9, 6], affine);
  await writeVolumeFile(path.join(dir, 'a.nii.gz'), image);
  await writeVolumeFile(path.join(dir, 'a_mask.nii.gz'), mask);
  const doubles = Float64Array.from({ length: 4 * 3 * 2 }, (_, n) => n / 4);
  await writeVolumeFile(path.join(dir, 'b.nii.gz'), makeVolume([4, 3, 2], doubles));
  const renderer = path.join(dir, 'renderer');
  await fs.mkdir(path.join(renderer, 'assets'), { recursive: true });
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>app</title>');
  await fs.writeFile(path.join(renderer, 'assets', 'app-1234.js'), 'console.log(1)');
  const importing = await ProjectStore.open(project, { write: true, purpose: 'test' });
  await importStudies(importing, [path.join(dir, 'a.nii.gz'), path.join(dir, 'b.nii.gz')]);
  await importing.close();
  const hub = createEventHub();
  workspace = new Workspace({
    shell: 'server',
    emit: hub.emit,
    defaultDemoPath: path.join(dir, 'demo'),
  });
  await workspace.openProject(project);
  store = workspace.project!;
  server = await startServer({ workspace, hub, rendererDir: renderer, port: 0 });
  base = server.url.replace(/\/\?token=.*$/, '');
  auth = { authorization: `Bearer ${server.policy.token}` };
});

afterAll(async () => {
  await server?.close();
  await workspace?.dispose();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** The project handlers called in-process, as the Electron IPC path calls them. */
function directHandlers() {
  return createProjectHandlers({
    store,
    jobs: new JobSlot(),
    settings: () => DEFAULT_APP_SETTINGS,
  });
}

describe('the API over HTTP', () => {
  it('answers JSON calls exactly as in-process dispatch does', async () => {
    const handlers = directHandlers();
    for (const [method, params] of [
      ['project.info', {}],
      ['labels.list', { studyId: 'a' }],
      ['labels.list', { studyId: 'nope' }],
      ['no.such.method', {}],
      ['labels.restore', { studyId: 'a' }],
    ] as const) {
      const http = await call(method, params);
      expect(http.body).toEqual(await dispatch(handlers, method, params));
    }
    const missing = await call('labels.list', { studyId: 'nope' });
    expect(missing.status).toBe(404);
    expect((await call('labels.restore', { studyId: 'a' })).status).toBe(400);
  });

  it('sends the image as a binary frame with the same bytes and header as dispatch', async () => {
    const direct = await dispatch(directHandlers(), 'volume.image', { studyId: 'a' });
    const http = await call('volume.image', { studyId: 'a' });
    expect(http.type).toBe(FRAME_CONTENT_TYPE);
    if (!direct.ok) throw new Error(direct.error.message);
    const expected = direct.result as { header: unknown; data: ArrayBuffer };
    expect(http.body.result.header).toEqual(expected.header);
    expect(new Uint8Array(http.body.result.data)).toEqual(new Uint8Array(expected.data));
    expect(http.body.result.header).toMatchObject({ dims: [10, 9, 6], dataType: 'int16' });
    const float64 = await call('volume.image', { studyId: 'b' });
    expect(float64.body.result.header).toMatchObject({
      dataType: 'float32',
      storedType: 'float64',
    });
    expect(Array.from(new Float32Array(float64.body.result.data)).slice(0, 3)).toEqual([
      0, 0.25, 0.5,
    ]);
  });

  it('saves a label sent as a frame as a human version and reads it back', async () => {
    const empty = await call('labels.read', { studyId: 'a' });
    expect(empty.body.result).toMatchObject({ versionId: null, data: null });
    const mask = new Uint8Array(10 * 9 * 6);
    mask[5] = 1;
    mask[77] = 1;
    const saved = await call(
      'labels.save',
      encodeFrame({ studyId: 'a', data: mask, baseVersion: null, final: false }),
    );
    expect(saved.status).toBe(200);
    expect(saved.body.result.version).toMatchObject({
      id: 'v0001',
      provenance: { kind: 'human' },
      voxelCounts: { '1': 2 },
      final: false,
    });
    expect(saved.body.result.study).toMatchObject({
      id: 'a',
      status: 'in-progress',
      labeledVoxels: 2,
    });
    const read = await call('labels.read', { studyId: 'a' });
    expect(read.body.result.versionId).toBe('v0001');
    expect(new Uint8Array(read.body.result.data)).toEqual(mask);
  });

  it('refuses a stale base version, a wrong-sized mask and a non-binary mask', async () => {
    const mask = new Uint8Array(10 * 9 * 6);
    const stale = await call(
      'labels.save',
      encodeFrame({ studyId: 'a', data: mask, baseVersion: null }),
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CONFLICT');
    const short = await call('labels.save', encodeFrame({ studyId: 'a', data: new Uint8Array(3) }));
    expect(short.body.error).toMatchObject({ code: 'BAD_INPUT' });
    expect(short.body.error.message).toMatch(/10×9×6/);
    const json = await call('labels.save', { studyId: 'a', data: [0, 1] });
    expect(json.body.error.message).toMatch(/data: expected binary data/);
    expect(store.manifest.labels.length).toBe(1);
    expect((await store.getStudy('a')).labelVersions.length).toBe(1);
  });
});

describe('static files', () => {
  it('serves the renderer, falls back to index.html for app routes, and nothing outside', async () => {
    const index = await fetch(`${base}/`);
    expect(await index.text()).toContain('<title>app</title>');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    const asset = await fetch(`${base}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await (await fetch(`${base}/studies/a`)).text()).toContain('<title>app</title>');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    // Encoded slashes survive URL normalisation and reach the file resolver as "../".
    const { request } = await import('node:http');
    const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/..%2f..%2f..%2f..%2fetc%2fpasswd`, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.status).toBe(404);
    expect(raw.body).not.toContain('root:');
  });
});

describe('access control', () => {
  it('refuses foreign Host and Origin headers and simple cross-site content types', async () => {
    // fetch() will not let us forge Host; node:http will.
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${base}/api/project.info`, { method: 'POST', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{}');
      });
    const json = { 'content-type': 'application/json', ...auth };
    expect(await status({ ...json, origin: 'http://evil.example' })).toBe(403);
    expect(await status({ 'content-type': 'text/plain', ...auth })).toBe(400);
    expect(await status(json)).toBe(200);
    expect(await status({ 'content-type': 'application/json' })).toBe(403);
  });

  it('without a token (--no-token), refuses a foreign Host (DNS rebinding)', async () => {
    const open = await startServer({
      workspace,
      hub: createEventHub(),
      rendererDir: path.join(dir, 'renderer'),
      port: 0,
      noToken: true,
    });
    try {
      expect(open.url).not.toContain('token=');
      const { request } = await import('node:http');
      const status = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            `${open.url}api/project.info`,
            { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end('{}');
        });
      expect(await status({ host: 'evil.example:80' })).toBe(403);
      expect(await status({})).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('binds loopback only unless asked, and then requires a token', async () => {
    expect(() => accessPolicy({ host: '0.0.0.0' })).toThrow(/--allow-remote/);
    expect(() => accessPolicy({ host: '0.0.0.0', allowRemote: true })).toThrow(/--tls-cert/);
    const remote = accessPolicy({ host: '0.0.0.0', allowRemote: true, tls: true });
    expect(remote.token!.length).toBeGreaterThanOrEqual(32);
    expect(remote.secure).toBe(true);
    expect(
      accessPolicy({ host: '0.0.0.0', allowRemote: true, insecureHttp: true }).token,
    ).toBeDefined();
    expect(() =>
      accessPolicy({ host: '0.0.0.0', allowRemote: true, tls: true, noToken: true }),
    ).toThrow(/only allowed on a loopback/);
    expect(accessPolicy({ host: '127.0.0.1' }).token!.length).toBeGreaterThanOrEqual(32);
    expect(accessPolicy({ host: '127.0.0.1', noToken: true }).token).toBeUndefined();
    expect(() => accessPolicy({ host: '127.0.0.1', token: 'short' })).toThrow(/16 characters/);
    expect(() => accessPolicy({ host: '127.0.0.1', token: 'aaaaaaaaaaaaaaaaaaaa' })).toThrow(
      /too easy to guess/,
    );

    const token = 'a-long-enough-test-token';
    const guarded = await startServer({
      workspace,
      hub: createEventHub(),
      rendererDir: path.join(dir, 'renderer'),
      port: 0,
      token,
    });
    try {
      const url = guarded.url.replace(/\/\?token=.*$/, '');
      expect(guarded.url).toContain(`?token=${token}`);
      const post = (headers: Record<string, string>) =>
        fetch(`${url}/api/project.info`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
      expect((await post({})).status).toBe(403);
      expect((await post({ authorization: 'Bearer wrong-token-of-some-length' })).status).toBe(403);
      expect((await post({ authorization: `Bearer ${token}` })).status).toBe(200);
      const login = await fetch(`${url}/studies?token=${token}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/');
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      expect(cookie.startsWith(`simcvd_token_${guarded.port}=`)).toBe(true);
      expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
      expect(login.headers.get('set-cookie')).not.toMatch(/Secure/);
      expect((await post({ cookie })).status).toBe(200);
      // Another port's cookie (another local service's) is not this server's.
      expect(
        (await post({ cookie: cookie.replace(/^simcvd_token_\d+/, 'simcvd_token_1') })).status,
      ).toBe(403);
      // A wrong token in a link does not replace the cookie (a cross-site logout).
      const wrong = await fetch(`${url}/?token=wrong-token-of-some-length`, { redirect: 'manual' });
      expect(wrong.status).toBe(303);
      expect(wrong.headers.get('set-cookie')).toBeNull();
    } finally {
      await guarded.close();
    }
  });
});

describe('events', () => {
  it('pushes import progress and saved labels over the WebSocket', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/events`, { headers: auth });
    const messages: ApiEventMessage[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as ApiEventMessage));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const { image } = makeImageAndMask([5, 4, 3]);
    await writeVolumeFile(path.join(dir, 'c.nii.gz'), image);
    expect((await call('studies.import', { paths: [path.join(dir, 'c.nii.gz')] })).status).toBe(
      200,
    );
    const mask = new Uint8Array(5 * 4 * 3).fill(1);
    await call('labels.save', encodeFrame({ studyId: 'c', data: mask, final: true }));
    await expect
      .poll(() => messages.map((m) => m.event))
      .toEqual(['importProgressed', 'importProgressed', 'labelSaved']);
    expect(messages[1]!.payload).toEqual({ done: 1, total: 1, item: '' });
    expect(messages[2]!.payload).toEqual({ studyId: 'c', versionId: 'v0001' });
    socket.close();
  });

  it('refuses event sockets from other origins', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/events`, {
      headers: { origin: 'http://evil.example', ...auth },
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('open', () => resolve('open'));
      socket.once('error', () => resolve('refused'));
      socket.once('unexpected-response', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
    socket.terminate();
  });
});
