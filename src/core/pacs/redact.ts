// Keeping secrets out of what people see (plain Node): server URLs shown in messages and logs
// lose their user info and the values of query parameters that look like credentials, and any
// text can be scrubbed of the secrets of the request it is about.

/** Query parameter names whose values are credentials (access tokens, API keys, signatures). */
const SECRET_PARAM =
  /^(access_?token|token|id_token|key|api_?key|pass(word|wd)?|secret|sig(nature)?|auth(orization)?|x-amz-[a-z-]+)$/i;

export const REDACTED = '***';

/** A URL fit for a message: no user:password@, credential-like query values replaced. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(an invalid URL)';
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()])
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, REDACTED);
  return url.toString();
}

/** `text` with every occurrence of each secret (3 characters or more) replaced by ***. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}
