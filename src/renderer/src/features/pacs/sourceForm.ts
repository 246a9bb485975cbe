// The "Add source" form → pacs.saveSource params (renderer, pure): what blocks saving (in the
// words of the contract's rules, checked here so the user sees them before a round trip), the
// request itself, and where a registered source's secret comes from — never the secret.
import type {
  PacsAuthKind,
  PacsSecretOrigin,
  PacsSourceInput,
  PacsSourceSummary,
} from '../../../../shared/contract/pacs';

export interface SourceForm {
  id: string;
  name: string;
  baseUrl: string;
  auth: PacsAuthKind;
  username: string;
  password: string;
  token: string;
}

export const EMPTY_SOURCE_FORM: SourceForm = {
  id: '',
  name: '',
  baseUrl: '',
  auth: 'none',
  username: '',
  password: '',
  token: '',
};

const SOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why the form cannot be saved yet; null when it can. */
export function sourceFormProblem(form: SourceForm): string | null {
  const id = form.id.trim();
  if (!id) return 'Give the source an ID (e.g. pacs1).';
  if (!SOURCE_ID.test(id))
    return "The ID takes 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit.";
  const url = form.baseUrl.trim();
  if (!url) return 'Give the DICOMweb base URL (e.g. https://pacs.example.org/dicom-web).';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL: give the full address, starting with https:// or http://.`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return 'The base URL must start with https:// or http://.';
  if (parsed.username || parsed.password)
    return 'Leave the user name and password out of the URL: choose HTTP basic below instead.';
  if (form.auth === 'basic' && !form.username.trim()) return 'Give the user name for HTTP basic.';
  return null;
}

/**
 * The saveSource params. An empty password or token is left out, which keeps the stored one
 * (or leaves it to SIMCVD_DICOMWEB_PASSWORD / SIMCVD_DICOMWEB_TOKEN).
 */
export function sourceInput(form: SourceForm): PacsSourceInput {
  const name = form.name.trim();
  const base = { id: form.id.trim(), baseUrl: form.baseUrl.trim(), ...(name ? { name } : {}) };
  switch (form.auth) {
    case 'basic':
      return {
        ...base,
        auth: {
          kind: 'basic',
          username: form.username.trim(),
          ...(form.password ? { password: form.password } : {}),
        },
      };
    case 'bearer':
      return { ...base, auth: { kind: 'bearer', ...(form.token ? { token: form.token } : {}) } };
    default:
      return { ...base, auth: { kind: 'none' } };
  }
}

const SECRET_ENV: Record<'basic' | 'bearer', string> = {
  basic: 'SIMCVD_DICOMWEB_PASSWORD',
  bearer: 'SIMCVD_DICOMWEB_TOKEN',
};

/** How a source authenticates and where its secret comes from, in one line. */
export function authText(source: Pick<PacsSourceSummary, 'auth' | 'secret'>): string {
  const { auth, secret } = source;
  if (auth.kind === 'none') return 'No credentials';
  const what = auth.kind === 'basic' ? `HTTP basic as "${auth.username ?? ''}"` : 'Bearer token';
  const noun = auth.kind === 'basic' ? 'password' : 'token';
  const origins: Record<PacsSecretOrigin, string> = {
    stored: `${noun} stored for this user`,
    environment: `${noun} from ${SECRET_ENV[auth.kind]}`,
    missing: `no ${noun}: save it again with one, or set ${SECRET_ENV[auth.kind]}`,
    none: `no ${noun}`,
  };
  return `${what}, ${origins[secret]}`;
}
