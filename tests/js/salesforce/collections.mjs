// sObject Collections through jsforce arrays: partial failure, allOrNone rollback, update, upsert, retrieve, destroy.
import { login, print } from './common.mjs';

const { conn } = await login();
const out = {};
out.partial = await conn.sobject('Contact').create([{ LastName: 'Ok' }, { FirstName: 'NoLastName' }, { LastName: 'Ok too' }]);
out.rolledBack = await conn.sobject('Contact').create([{ LastName: 'Kept?' }, { FirstName: 'Bad' }], { allOrNone: true });
out.contactsAfter = (await conn.query("SELECT Id FROM Contact WHERE LastName LIKE 'Kept%'")).totalSize;
const ids = out.partial.filter((r) => r.success).map((r) => r.id);
out.updated = await conn.sobject('Contact').update(ids.map((id) => ({ Id: id, Title: 'Engineer' })));
out.retrieved = (await conn.sobject('Contact').retrieve(ids)).map((r) => r && r.Title);
out.upserted = await conn.sobject('Case').upsert([{ Jira_Key__c: 'SUP-10', Subject: 'a' }, { Jira_Key__c: 'SUP-11', Subject: 'b' }], 'Jira_Key__c');
out.upsertedAgain = await conn.sobject('Case').upsert([{ Jira_Key__c: 'SUP-10', Subject: 'a2' }], 'Jira_Key__c');
out.destroyed = await conn.sobject('Contact').destroy([...ids, '003000000000000AAA']);
print(out);
