// A logged-in jsforce re-authenticates transparently after its session is revoked (401 INVALID_SESSION_ID).
import { login, print, admin } from './common.mjs';

const { conn } = await login();
const firstToken = conn.accessToken;
let refreshed = 0;
conn.on('refresh', () => { refreshed += 1; });
await admin('sessions/revoke', {});
const result = await conn.query('SELECT Id FROM User');
print({ users: result.totalSize, refreshed, tokenChanged: conn.accessToken !== firstToken });
