// CaseComment, Attachment and ContentVersion (JSON and multipart) round trips; the parent Case is not touched.
import { login, print } from './common.mjs';

const { conn } = await login();
const out = {};
const c = await conn.sobject('Case').create({ Subject: 'files' });
const before = await conn.sobject('Case').retrieve(c.id, { fields: ['SystemModstamp', 'LastModifiedDate'] });
await new Promise((r) => setTimeout(r, 1100)); // a touch would move the whole-second stamps
const text = Buffer.from('attachment bytes \u00e9\u00e8');
out.comment = await conn.sobject('CaseComment').create({ ParentId: c.id, CommentBody: 'note' });
const att = await conn.sobject('Attachment').create({ ParentId: c.id, Name: 'a.txt', ContentType: 'text/plain', Body: text.toString('base64') });
const binary = Buffer.from([0, 1, 2, 3, 254, 255]);
const json = await conn.sobject('ContentVersion').create({ Title: 'json', PathOnClient: 'json.bin', VersionData: binary.toString('base64'), FirstPublishLocationId: c.id });
const multi = await conn.sobject('ContentVersion').create(
  { Title: 'multi', PathOnClient: 'multi.bin', VersionData: binary.toString('base64'), FirstPublishLocationId: c.id },
  { multipartFileFields: { VersionData: { filename: 'multi.bin', contentType: 'application/octet-stream' } } },
);
const after = await conn.sobject('Case').retrieve(c.id, { fields: ['SystemModstamp', 'LastModifiedDate'] });
out.parentUntouched = before.SystemModstamp === after.SystemModstamp && before.LastModifiedDate === after.LastModifiedDate;

async function blob(type, id, field) {
  const chunks = [];
  for await (const chunk of conn.sobject(type).record(id).blob(field)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
out.attachmentRoundTrip = (await blob('Attachment', att.id, 'Body')).equals(text);
out.jsonRoundTrip = (await blob('ContentVersion', json.id, 'VersionData')).equals(binary);
out.multipartRoundTrip = (await blob('ContentVersion', multi.id, 'VersionData')).equals(binary);
const links = await conn.query(`SELECT ContentDocumentId, ContentDocument.Title FROM ContentDocumentLink WHERE LinkedEntityId = '${c.id}'`);
out.linkedTitles = links.records.map((l) => l.ContentDocument.Title).sort();
const q = await conn.query(`SELECT Id, (SELECT Name FROM Attachments), (SELECT CommentBody FROM CaseComments) FROM Case WHERE Id = '${c.id}'`);
out.attachmentNames = q.records[0].Attachments.records.map((a) => a.Name);
out.commentBodies = q.records[0].CaseComments.records.map((a) => a.CommentBody);
print(out);
