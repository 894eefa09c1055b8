// jsforce without a client secret logs in through the SOAP login() call.
import { jsforce, env, print } from './common.mjs';

const conn = new jsforce.Connection({ loginUrl: env.url, version: '50.0' });
const userInfo = await conn.login('agent@pluginhub.test', 'agent-passwordAGENTTOKEN');
const me = await conn.query(`SELECT Username FROM User WHERE Id = '${userInfo.id}'`);
print({ userInfo, instanceUrl: conn.instanceUrl, username: me.records[0].Username });
