// getUpdated / getDeleted windows through jsforce (it formats the dates and encodes '+'). The test prepares the rows.
import { login, print } from './common.mjs';

const { conn } = await login();
const start = new Date(process.env.SF_START);
const end = new Date(process.env.SF_END);
const updated = await conn.sobject('Case').updated(start, end);
const deleted = await conn.sobject('Case').deleted(start, end);
print({ updated, deleted });
