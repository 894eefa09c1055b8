// Shared helpers for the jsforce scripts: connection from env, JSON output, error capture.
import jsforce from 'jsforce';

export const env = {
  url: process.env.SF_URL,
  username: process.env.SF_USERNAME ?? 'integration@pluginhub.test',
  password: process.env.SF_PASSWORD ?? 'sandbox-passwordSANDBOXTOKEN',
  clientId: process.env.SF_CLIENT_ID ?? 'pluginhub-sandbox',
  clientSecret: process.env.SF_CLIENT_SECRET ?? 'sandbox-secret',
  version: process.env.SF_VERSION ?? '64.0',
};

export async function login(overrides = {}) {
  const conn = new jsforce.Connection({
    loginUrl: env.url,
    version: env.version,
    oauth2: { loginUrl: env.url, clientId: env.clientId, clientSecret: env.clientSecret },
    ...overrides,
  });
  const userInfo = await conn.login(overrides.username ?? env.username, overrides.password ?? env.password);
  return { conn, userInfo };
}

export async function admin(path, body) {
  const res = await fetch(`${env.url}/_sandbox/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return res.status === 204 ? null : res.json();
}

export async function capture(fn) {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, name: e.name, errorCode: e.errorCode, message: e.message, data: e.data ?? null };
  }
}

export function print(result) {
  process.stdout.write(JSON.stringify(result));
}

export { jsforce };
