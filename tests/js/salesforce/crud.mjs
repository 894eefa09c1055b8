// Login, identity, describe, CRUD, relationship query, CaseComment, delete + queryAll, limits and limitInfo.
import { login, print, capture } from './common.mjs';

const { conn, userInfo } = await login();
const out = { userInfo };
out.identity = await conn.identity();
const global = await conn.describeGlobal();
out.globalHasCase = global.sobjects.some((s) => s.name === 'Case');
const caseDescribe = await conn.sobject('Case').describe();
const status = caseDescribe.fields.find((f) => f.name === 'Status');
out.statusPicklist = status.picklistValues.map((p) => p.value);
out.statusDefault = status.picklistValues.find((p) => p.defaultValue)?.value;
out.childRelationships = caseDescribe.childRelationships.map((c) => c.relationshipName);

const created = await conn.sobject('Case').create({ Subject: 'Printer on fire', Origin: 'Web', Jira_Key__c: 'SUP-1' });
out.created = created;
const record = await conn.sobject('Case').retrieve(created.id);
out.retrieved = { Id: record.Id, CaseNumber: record.CaseNumber, Status: record.Status, Priority: record.Priority, OwnerId: record.OwnerId, IsClosed: record.IsClosed, url: record.attributes.url, CreatedDate: record.CreatedDate };
out.updateResult = await conn.sobject('Case').update({ Id: created.id, Status: 'Closed' });
const closed = await conn.sobject('Case').retrieve(created.id, { fields: ['Status', 'IsClosed', 'ClosedDate', 'LastModifiedById'] });
out.closed = closed;

const comment = await conn.sobject('CaseComment').create({ ParentId: created.id, CommentBody: 'Called the customer', IsPublished: true });
out.comment = comment;
const q = await conn.query(`SELECT Id, CaseNumber, Owner.Name, Owner.Email, Contact.Name, (SELECT CommentBody, IsPublished FROM CaseComments ORDER BY CreatedDate) FROM Case WHERE Id = '${created.id}'`);
out.query = q;
out.found = await conn.sobject('Case').find({ Jira_Key__c: 'SUP-1' }, ['Id', 'Subject']);
out.count = await conn.sobject('Case').count({ Status: 'Closed' });

out.upsertCreated = await conn.sobject('Case').upsert({ Jira_Key__c: 'SUP-2', Subject: 'From Jira' }, 'Jira_Key__c');
out.upsertUpdated = await conn.sobject('Case').upsert({ Jira_Key__c: 'SUP-2', Subject: 'From Jira, edited' }, 'Jira_Key__c');

out.destroyed = await conn.sobject('Case').destroy(created.id);
out.afterDelete = await capture(() => conn.sobject('Case').retrieve(created.id));
const all = await conn.query(`SELECT Id, IsDeleted FROM Case WHERE Id = '${created.id}'`, { scanAll: true });
out.queryAll = all.records;
const live = await conn.query(`SELECT Id FROM Case WHERE Id = '${created.id}'`);
out.queryLive = live.totalSize;
out.limits = (await conn.limits()).DailyApiRequests;
out.limitInfo = conn.limitInfo;
print(out);
