// query + queryMore over several pages (batchSize header), autoFetch with maxFetch, queryAll via scanAll, count().
import { login, print, admin } from './common.mjs';

const { conn } = await login();
await admin('seed', { seed: 7, users: 0, accounts: 0, contacts: 0, cases: 2500 });
const out = {};
const first = await conn.query('SELECT Id, CaseNumber FROM Case ORDER BY CaseNumber', { headers: { 'Sforce-Query-Options': 'batchSize=1000' } });
out.first = { totalSize: first.totalSize, done: first.done, size: first.records.length, hasNext: !!first.nextRecordsUrl };
const second = await conn.queryMore(first.nextRecordsUrl);
out.second = { done: second.done, size: second.records.length };
const third = await conn.queryMore(second.nextRecordsUrl);
out.third = { done: third.done, size: third.records.length };
const numbers = [...first.records, ...second.records, ...third.records].map((r) => r.CaseNumber);
out.distinct = new Set(numbers).size;
out.sorted = numbers.every((n, i) => i === 0 || numbers[i - 1] < n);

const fetched = [];
await new Promise((resolve, reject) => {
  conn.query('SELECT Id FROM Case')
    .on('record', (r) => fetched.push(r.Id))
    .on('end', resolve)
    .on('error', reject)
    .run({ autoFetch: true, maxFetch: 100000 });
});
out.autoFetched = fetched.length;
const capped = await conn.query('SELECT Id FROM Case').run({ autoFetch: true, maxFetch: 2100 });
out.capped = capped.records.length;
out.count = await conn.sobject('Case').count();
const parent = first.records[1].Id;
await conn.sobject('CaseComment').create(Array.from({ length: 200 }, (_, i) => ({ ParentId: parent, CommentBody: `a${i}` })));
await conn.sobject('CaseComment').create(Array.from({ length: 150 }, (_, i) => ({ ParentId: parent, CommentBody: `b${i}` })));
const nested = await conn.query(`SELECT Id, (SELECT Id FROM CaseComments) FROM Case WHERE Id = '${parent}'`).run({ autoFetch: true });
out.nestedComments = nested.records[0].CaseComments.records.length;
// Child records count toward the batch: pages hold fewer parents, and autoFetch still gets every one.
const parents = await conn.query('SELECT Id, (SELECT Id FROM CaseComments) FROM Case').run({ autoFetch: true, maxFetch: 100000 });
out.parentsWithChildren = parents.records.length;
await conn.sobject('Case').destroy(first.records[0].Id);
const all = await conn.query(`SELECT Id, IsDeleted FROM Case WHERE IsDeleted = true`, { scanAll: true });
out.deleted = all.records.map((r) => r.IsDeleted);
print(out);
