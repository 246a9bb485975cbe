// Server mode under hostile requests (Node, real sockets): each finding of the security review
// reproduced against a running server — malformed upgrades, bad cookies and resets must not take
// the process down; opaque or missing Origins from browsers are refused; loopback needs a token;
// TLS; the ?token= login; and body limits (nesting, frame sizes, methods, concurrency).
import { execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/backend/workspace';
import { createProject, importStudies, ProjectStore } from '../../src/core/project';
import { writeVolumeFile } from '../../src/core/volume/nifti';
import { createEventHub, startServer, type RunningServer } from '../../src/server';
import { encodeFrame, FRAME_CONTENT_TYPE } from '../../src/shared/binaryFrame';
import { makeImageAndMask, tempDir } from '../helpers/fixtures';

let dir: string;
let renderer: string;
let workspace: Workspace;
let server: RunningServer;
let port: number;
let token: string;

beforeAll(async () => {
  dir = await tempDir('simcvd-security-');
  const project = path.join(dir, 'project');
  await createProject(project);
  const { image } = makeImageAndMask([8, 7, 5]);
  await writeVolumeFile(path.join(dir, 'a.nii.gz'), image);
  const importing = await ProjectStore.open(project, { write: true, purpose: 'test' });
  await importStudies(importing, [path.join(dir, 'a.nii.gz')]);
  await importing.close();
  renderer = path.join(dir, 'renderer');
  await fs.mkdir(renderer, { recursive: true });
  await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>app</title>');
  const hub = createEventHub();
  workspace = new Workspace({ shell: 'server', emit: hub.emit, defaultDemoPath: dir });
  await workspace.openProject(project);
  server = await startServer({ workspace, hub, rendererDir: renderer, port: 0 });
  port = server.port;
  token = server.policy.token!;
});

afterAll(async () => {
  await server?.close();
  await workspace?.dispose();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** A raw HTTP exchange: what the server answered (first line), or how the socket ended. */
function raw(text: string, options: { reset?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(text);
      if (options.reset) {
        socket.resetAndDestroy();
        resolve('reset');
      }
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) socket.destroy();
    });
    socket.on('error', () => resolve(answer.split('\r\n')[0] || 'error'));
    socket.on('close', () => resolve(answer.split('\r\n')[0] || 'closed'));
    socket.setTimeout(5000, () => socket.destroy());
  });
}

const upgrade = (target: string, headers: string[] = []) =>
  [
    `GET ${target} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...headers,
    '',
    '',
  ].join('\r\n');

async function alive(): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/api/project.info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{}',
  });
  return response.status === 200;
}

function post(
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array = '{}',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `http://127.0.0.1:${port}/api/${method}`,
      { method: 'POST', headers },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const bearer = () => ({ authorization: `Bearer ${token}` });

describe('no request crashes the server', () => {
  it('F1: an upgrade to "//" (any web page can send one) is refused, not fatal', async () => {
    expect(await raw(upgrade('//'))).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(upgrade('//evil.example/x'))).toMatch(/^HTTP\/1\.1 400/);
    const socket = new WebSocket(`ws://127.0.0.1:${port}//`);
    await new Promise((resolve) => {
      socket.once('error', resolve);
      socket.once('close', resolve);
    });
    expect(await alive()).toBe(true);
  });

  it('F2: a cookie that is not valid percent-encoding is a missing token, not fatal', async () => {
    const cookie = `Cookie: simcvd_token_${port}=%`;
    expect(await raw(upgrade('/api/events', [cookie]))).toMatch(/^HTTP\/1\.1 403/);
    const api = await post('project.info', {
      'content-type': 'application/json',
      cookie: `simcvd_token_${port}=%E0%A4%A`,
    });
    expect(api.status).toBe(403);
    expect(await alive()).toBe(true);
  });

  it('F3: clients resetting right after a refused upgrade leave the server up', async () => {
    for (let i = 0; i < 300; i++) await raw(upgrade('/api/events'), { reset: true });
    expect(await alive()).toBe(true);
  });

  it('answers a malformed request line and a request path "//x" without dying', async () => {
    expect(await raw('NONSENSE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET //x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await alive()).toBe(true);
  });
});

describe('origins', () => {
  it('F4: refuses the event socket from an opaque origin ("null"), even with the token', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/events`, {
      headers: { origin: 'null', ...bearer() },
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('open', () => resolve('open'));
      socket.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      socket.once('error', () => resolve('error'));
    });
    socket.terminate();
    expect(outcome).toBe('403');
  });

  it('F15: refuses API posts from "null" and browser requests without an Origin', async () => {
    const json = { 'content-type': 'application/json', ...bearer() };
    expect((await post('project.info', { ...json, origin: 'null' })).status).toBe(403);
    const browser = { ...json, 'sec-fetch-site': 'cross-site', 'user-agent': 'Mozilla/5.0' };
    expect((await post('project.info', browser)).status).toBe(403);
    const sameOrigin = {
      ...browser,
      origin: `http://127.0.0.1:${port}`,
      host: `127.0.0.1:${port}`,
    };
    expect((await post('project.info', sameOrigin)).status).toBe(200);
    // A tool (curl, a script) sends no Origin; the token is what admits it.
    expect((await post('project.info', json)).status).toBe(200);
  });
});

describe('a key on loopback too', () => {
  it('F5: without the token, another local user reads nothing and writes nothing', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await post('project.info', json)).status).toBe(403);
    const outDir = path.join(dir, 'stolen');
    const exported = await post('labels.export', json, JSON.stringify({ outDir }));
    expect(exported.status).toBe(403);
    const created = await post('app.createProject', json, JSON.stringify({ path: outDir }));
    expect(created.status).toBe(403);
    await expect(fs.stat(outDir)).rejects.toThrow();
    expect(server.url).toMatch(new RegExp(`\\?token=${token}$`));
  });

  it('F9/F10: ?token= always leads back to "/", never to a path the link chose', async () => {
    expect(await raw(`GET /.//evil.example?token=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)).toMatch(
      /^HTTP\/1\.1 (303|400)/,
    );
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write(`GET /a/..//evil.example?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (text.includes('\r\n\r\n')) socket.destroy();
      });
      socket.on('close', () => resolve(text));
    });
    const location = /location: (.*)\r\n/i.exec(answer)?.[1];
    expect(location).toBe('/');
  });
});

describe('request bodies (F11)', () => {
  const json = () => ({ 'content-type': 'application/json', ...bearer() });

  it('refuses deeply nested JSON at once instead of parsing it for seconds', async () => {
    const nested = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const started = Date.now();
    const answer = await post('project.info', json(), nested);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/nested deeper than/);
    expect(Date.now() - started).toBeLessThan(5000);
    const huge = '['.repeat(16 * 1024 * 1024);
    expect((await post('project.info', json(), huge)).status).toBe(413);
    expect(await alive()).toBe(true);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const answer = await raw(
      `POST /api/project.info HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer ${token}\r\ncontent-length: ${1024 ** 3}\r\n\r\n{`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
  });

  it('takes binary frames only on the methods that carry voxels, sized to the study', async () => {
    const frame = { 'content-type': FRAME_CONTENT_TYPE, ...bearer() };
    const info = await post('project.info', frame, encodeFrame({ data: new Uint8Array(8) }));
    expect(info.status).toBe(400);
    expect(info.text).toMatch(/takes no voxel data/);
    // A frame whose JSON part alone is over the JSON limit.
    const bigJson = encodeFrame({ studyId: 'a', note: 'x'.repeat(3 * 1024 * 1024) });
    expect((await post('labels.save', frame, bigJson)).status).toBe(413);
    // More voxels than the study has (8×7×5 = 280).
    const tooMany = encodeFrame({ studyId: 'a', data: new Uint8Array(100_000) });
    const refused = await post('labels.save', frame, tooMany);
    expect(refused.status).toBe(413);
    const unknown = await post(
      'labels.save',
      frame,
      encodeFrame({ studyId: 'zz', data: new Uint8Array(8) }),
    );
    expect(unknown.status).toBe(404);
    const right = encodeFrame({ studyId: 'a', data: new Uint8Array(280), final: false });
    expect((await post('labels.save', frame, right)).status).toBe(200);
  });

  it('reads at most two voxel bodies at once', async () => {
    // Three uploads that send their frame header and then stall.
    const head = encodeFrame({ studyId: 'a', data: new Uint8Array(280) }).subarray(0, 64);
    const sockets: net.Socket[] = [];
    const answers: Promise<string>[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = net.connect(port, '127.0.0.1');
      sockets.push(socket);
      answers.push(
        new Promise((resolve) => {
          let text = '';
          socket.on('data', (chunk) => {
            text += chunk.toString();
            resolve(text.split('\r\n')[0]!);
          });
          socket.on('close', () => resolve(text.split('\r\n')[0] || 'closed'));
        }),
      );
      await new Promise<void>((resolve) =>
        socket.write(
          `POST /api/labels.save HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: ${FRAME_CONTENT_TYPE}\r\n` +
            `authorization: Bearer ${token}\r\ncontent-length: 1000\r\n\r\n`,
          () => socket.write(head, () => resolve()),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await answers[2]).toMatch(/^HTTP\/1\.1 503/);
    for (const socket of sockets) socket.destroy();
    expect(await alive()).toBe(true);
  });
});

describe('TLS for remote mode (F7)', () => {
  it('refuses --allow-remote over plain HTTP, and serves HTTPS with a Secure cookie', async () => {
    await expect(
      startServer({
        workspace,
        hub: createEventHub(),
        rendererDir: renderer,
        host: '0.0.0.0',
        allowRemote: true,
        port: 0,
      }),
    ).rejects.toThrow(/--tls-cert/);
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const tls = { cert: await fs.readFile(cert), key: await fs.readFile(key) };
    const secure = await startServer({
      workspace,
      hub: createEventHub(),
      rendererDir: renderer,
      port: 0,
      tls,
    });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/\?token=/);
      const login = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
        const req = httpsRequest(secure.url, { ca: tls.cert }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') });
        });
        req.on('error', reject);
        req.end();
      });
      expect(login.status).toBe(303);
      expect(login.cookie).toMatch(/HttpOnly; SameSite=Strict; Path=\/; Secure/);
    } finally {
      await secure.close();
    }
  });
});

describe('simcvd serve token sources (F5, F8)', () => {
  /** Starts `simcvd serve` and returns what it printed once it serves (then stops it). */
  function serveOutput(args: string[], env: Record<string, string> = {}): Promise<string> {
    return new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [
          'bin/simcvd.js',
          'serve',
          '--port',
          '0',
          '--config-dir',
          path.join(dir, 'cfg'),
          '--renderer',
          renderer,
          ...args,
        ],
        {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/serving .* at /.test(output)) child.kill('SIGTERM');
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', () => resolve(output));
      setTimeout(() => child.kill('SIGKILL'), 30_000);
    });
  }

  it('prints a random token by default, takes SIMCVD_TOKEN or a private --token-file, and warns on --no-token', async () => {
    expect(await serveOutput([])).toMatch(/at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}\n/);
    const fromEnv = 'env-token-0123456789abcdef';
    expect(await serveOutput([], { SIMCVD_TOKEN: fromEnv })).toContain(`?token=${fromEnv}`);
    const file = path.join(dir, 'token.txt');
    await fs.writeFile(file, 'file-token-0123456789abcdef\n', { mode: 0o600 });
    expect(await serveOutput(['--token-file', file])).toContain(
      '?token=file-token-0123456789abcdef',
    );
    await fs.chmod(file, 0o644);
    expect(await serveOutput(['--token-file', file])).toMatch(/chmod 600/);
    const open = await serveOutput(['--no-token']);
    expect(open).toMatch(/warning: serving without a token/);
    expect(open).not.toContain('?token=');
    expect(await serveOutput(['--host', '0.0.0.0', '--allow-remote'])).toMatch(/--tls-cert/);
  }, 120_000);
});
