// The app protocol (Node, with the Fetch API's Request/Response): built renderer files with the
// CSP header, nothing outside the renderer folder, nothing for other hosts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp';
import { tempDir } from '../../test/helpers/fixtures';
import { APP_INDEX_URL, appRequestHandler, resolveAppFile } from './appProtocol';

let root: string;

beforeAll(async () => {
  const dir = await tempDir('simcvd-protocol-');
  root = path.join(dir, 'renderer');
  await fs.mkdir(path.join(root, 'assets'), { recursive: true });
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  await fs.writeFile(path.join(root, 'assets', 'index-1.js'), 'console.log(1)');
  await fs.writeFile(path.join(dir, 'secret.txt'), 'not for the page');
});

describe('app protocol', () => {
  it('maps app URLs into the renderer folder only', () => {
    expect(resolveAppFile(APP_INDEX_URL, root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('simcvd://app/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('simcvd://app/assets/index-1.js?x=1', root)).toBe(
      path.join(root, 'assets', 'index-1.js'),
    );
    expect(resolveAppFile('simcvd://app/..%2Fsecret.txt', root)).toBeNull();
    expect(resolveAppFile('simcvd://app/%E0%A4%A', root)).toBeNull();
    expect(resolveAppFile('simcvd://other/index.html', root)).toBeNull();
    expect(resolveAppFile('https://app/index.html', root)).toBeNull();
  });

  it('answers files with their type and the CSP header, and 404 otherwise', async () => {
    const handle = appRequestHandler(root);
    const page = await handle(new Request(APP_INDEX_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>app</title>');
    const script = await handle(new Request('simcvd://app/assets/index-1.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    for (const url of [
      'simcvd://app/missing.js',
      'simcvd://app/assets',
      'simcvd://app/..%2Fsecret.txt',
    ])
      expect((await handle(new Request(url))).status).toBe(404);
  });
});
