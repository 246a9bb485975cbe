// A real PACS for tests (Node): Debian's Orthanc with its DICOMweb plugin, started on a free
// loopback port with a temporary storage folder and configuration, waited for until it
// answers, and stopped (and its folder removed) after. Instances are loaded and found through
// Orthanc's own REST API, independent of our DICOMweb client.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readdirSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './fixtures';

export const ORTHANC_BIN = '/usr/sbin/Orthanc';

/** The DICOMweb plugin as Debian's orthanc-dicomweb installs it (`dpkg -L orthanc-dicomweb`). */
export function dicomwebPlugin(): string | undefined {
  const candidates = ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'];
  for (const dir of ['/usr/lib/orthanc', '/usr/lib/x86_64-linux-gnu/orthanc']) {
    const names = existsSync(dir) ? readdirSync(dir) : [];
    candidates.push(
      ...names.filter((n) => n.startsWith('libOrthancDicomWeb.so')).map((n) => path.join(dir, n)),
    );
  }
  return candidates.find((file) => existsSync(file));
}

/** Why Orthanc tests cannot run here (undefined: they can). */
export function orthancMissing(): string | undefined {
  if (!existsSync(ORTHANC_BIN)) return `${ORTHANC_BIN} is not installed (apt-get install orthanc)`;
  if (!dicomwebPlugin())
    return 'the DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)';
  return undefined;
}

/** One series as test/reference/dicom_from_nifti.py writes it and describes it on stdout. */
export interface SourceSeries {
  name: string;
  folder: string;
  study: string;
  series: string;
  frameOfReference: string;
  patientId: string;
  patientName: string;
  slices: { sop: string; position: number[] }[];
}

export interface Orthanc {
  /** The DICOMweb root, e.g. http://127.0.0.1:40123/dicom-web. */
  dicomweb: string;
  /** Orthanc's REST root. */
  rest: string;
  /** Authorization header value when users are configured. */
  authorization?: string;
  /** Stores DICOM files (POST /instances); returns Orthanc's instance IDs. */
  upload(files: string[]): Promise<string[]>;
  /** Orthanc IDs of the instances matching a query at instance level. */
  find(query: Record<string, string>): Promise<string[]>;
  /** An instance's bytes as Orthanc stores them. */
  file(id: string): Promise<Buffer>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startOrthanc(
  options: { users?: Record<string, string> } = {},
): Promise<Orthanc> {
  const missing = orthancMissing();
  if (missing) throw new Error(missing);
  const dir = await tempDir('simcvd-orthanc-');
  const port = await freePort();
  const users = options.users ?? {};
  const config = {
    Name: 'simcvd-test',
    StorageDirectory: path.join(dir, 'db'),
    IndexDirectory: path.join(dir, 'db'),
    HttpPort: port,
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: Object.keys(users).length > 0,
    RegisteredUsers: users,
    Plugins: [dicomwebPlugin()],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false },
    // Stored names keep characters outside Latin-1 (the default would drop them from answers).
    DefaultEncoding: 'Utf8',
  };
  const configFile = path.join(dir, 'orthanc.json');
  await fs.writeFile(configFile, JSON.stringify(config, null, 2));
  const log = path.join(dir, 'orthanc.log');
  const out = openSync(log, 'a');
  const child = spawn(ORTHANC_BIN, [configFile], { stdio: ['ignore', out, out] });
  const rest = `http://127.0.0.1:${port}`;
  const [user, password] = Object.entries(users)[0] ?? [];
  const authorization = user
    ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    : undefined;
  const headers = (extra: Record<string, string> = {}) => ({
    ...extra,
    ...(authorization ? { authorization } : {}),
  });
  await waitUntilReady(child, `${rest}/system`, headers(), log);
  const orthanc: Orthanc = {
    dicomweb: `${rest}/dicom-web`,
    rest,
    authorization,
    upload: async (files) => {
      const ids: string[] = [];
      for (const file of files) {
        const response = await fetch(`${rest}/instances`, {
          method: 'POST',
          headers: headers({ 'content-type': 'application/dicom' }),
          body: await fs.readFile(file),
        });
        if (!response.ok)
          throw new Error(`Orthanc refused ${file}: ${response.status} ${await response.text()}`);
        ids.push(((await response.json()) as { ID: string }).ID);
      }
      return ids;
    },
    find: async (query) => {
      const response = await fetch(`${rest}/tools/find`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json' }),
        body: JSON.stringify({ Level: 'Instance', Query: query }),
      });
      return (await response.json()) as string[];
    },
    file: async (id) => {
      const response = await fetch(`${rest}/instances/${id}/file`, { headers: headers() });
      if (!response.ok) throw new Error(`Orthanc has no instance ${id}: ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    },
    stop: () => stop(child, dir),
  };
  return orthanc;
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  headers: Record<string, string>,
  log: string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await fetch(url, { headers })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  const tail = (await fs.readFile(log, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
  throw new Error(`Orthanc did not start (exit ${child.exitCode}):\n${tail}`);
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await fs.rm(dir, { recursive: true, force: true });
}
