// Error names and codes as jsforce surfaces them.
import { login, print, capture, jsforce, env } from './common.mjs';

const out = {};
out.badLogin = await capture(() => login({ password: 'wrong' }));
const { conn } = await login();
out.malformed = await capture(() => conn.query('SELECT Id FORM Case'));
out.invalidField = await capture(() => conn.query('SELECT Nope FROM Case'));
out.required = await capture(() => conn.sobject('Contact').create({ FirstName: 'x' }));
out.tooLong = await capture(() => conn.sobject('Case').create({ Subject: 'x'.repeat(300) }));
out.notFound = await capture(() => conn.sobject('Case').retrieve('500000000000000AAA'));
out.readOnly = await capture(() => conn.sobject('Case').create({ CaseNumber: '1' }));
await conn.sobject('Case').create({ Jira_Key__c: 'SUP-1' });
out.duplicate = await capture(() => conn.sobject('Case').create({ Jira_Key__c: 'SUP-1' }));
const bare = new jsforce.Connection({ instanceUrl: env.url, accessToken: '00D000000000000!bogus', version: env.version });
out.invalidSession = await capture(() => bare.query('SELECT Id FROM Case'));
print(out);
