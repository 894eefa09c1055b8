// /composite with @{ref} references and allOrNone rollback, and /composite/batch, through conn.request.
import { login, print, env } from './common.mjs';

const { conn } = await login();
const v = `/services/data/v${env.version}`;
const ok = await conn.request({
  method: 'POST',
  url: `${v}/composite`,
  body: JSON.stringify({
    allOrNone: true,
    compositeRequest: [
      { method: 'POST', url: `${v}/sobjects/Case`, referenceId: 'newCase', body: { Subject: 'Printer', Origin: 'Web' } },
      { method: 'POST', url: `${v}/sobjects/CaseComment`, referenceId: 'c1', body: { ParentId: '@{newCase.id}', CommentBody: 'First note' } },
      { method: 'GET', url: `${v}/query?q=SELECT+Id,CaseNumber+FROM+Case+WHERE+Id='@{newCase.id}'`, referenceId: 'q' },
      { method: 'PATCH', url: `${v}/sobjects/Case/@{q.records[0].Id}`, referenceId: 'u', body: { Status: 'Working' } },
    ],
  }),
  headers: { 'content-type': 'application/json' },
});
const failed = await conn.request({
  method: 'POST',
  url: `${v}/composite`,
  body: JSON.stringify({
    allOrNone: true,
    compositeRequest: [
      { method: 'POST', url: `${v}/sobjects/Case`, referenceId: 'a', body: { Subject: 'rolled back' } },
      { method: 'POST', url: `${v}/sobjects/Contact`, referenceId: 'b', body: { FirstName: 'no last name' } },
      { method: 'POST', url: `${v}/sobjects/Case`, referenceId: 'c', body: { Subject: 'never run' } },
    ],
  }),
  headers: { 'content-type': 'application/json' },
});
const rolledBack = await conn.query("SELECT count() FROM Case WHERE Subject = 'rolled back'");
const batch = await conn.request({
  method: 'POST',
  url: `${v}/composite/batch`,
  body: JSON.stringify({
    haltOnError: false,
    batchRequests: [
      { method: 'PATCH', url: `v${env.version}/sobjects/Case/${ok.compositeResponse[0].body.id}`, richInput: { Priority: 'High' } },
      { method: 'GET', url: `v${env.version}/sobjects/Case/${ok.compositeResponse[0].body.id}?fields=Status,Priority` },
      { method: 'GET', url: `v${env.version}/sobjects/Case/500000000000000AAA` },
    ],
  }),
  headers: { 'content-type': 'application/json' },
});
print({ ok, failed, rolledBackCount: rolledBack.totalSize, batch });
