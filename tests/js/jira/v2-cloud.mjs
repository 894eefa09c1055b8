// Drives the Jira Cloud sandbox with jira.js 5.4.0's Version2Client (wiki-markup REST v2).
import { Version2Client } from 'jira.js';
import { env, attempt, print } from './common.mjs';

const jira = new Version2Client({ host: env.url, authentication: { basic: { email: env.email, apiToken: env.token } } });
const out = {};

out.myself = await jira.myself.getCurrentUser();

const created = await jira.issues.createIssue({
  fields: {
    project: { key: 'SUP' },
    issuetype: { name: 'Task' },
    summary: 'Printer on fire',
    description: 'h2. Steps\n*bold* text',
    labels: ['sf-case', 'jsv2'],
    customfield_10042: '500XX000001',
  },
  properties: [{ key: 'pluginhub', value: { externalId: '500XX000001', source: 'salesforce' } }],
});
out.created = created;
const key = created.key;

out.issue = await jira.issues.getIssue({ issueIdOrKey: key, expand: ['renderedFields', 'changelog', 'names'] });

out.edit = await jira.issues.editIssue({ issueIdOrKey: key, fields: { summary: 'Printer still on fire' }, update: { labels: [{ add: 'synced' }] }, notifyUsers: false });
out.afterEdit = await jira.issues.getIssue({ issueIdOrKey: key, fields: ['summary', 'labels', 'updated'], expand: ['changelog'] });

out.transitions = await jira.issues.getTransitions({ issueIdOrKey: key });
const start = out.transitions.transitions.find((t) => t.to.name === 'In Progress');
out.doStart = await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: start.id } });
const next = await jira.issues.getTransitions({ issueIdOrKey: key });
const done = next.transitions.find((t) => t.to.name === 'Done');
out.doDone = await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: done.id } });
out.afterTransition = await jira.issues.getIssue({ issueIdOrKey: key, fields: ['status', 'resolution'] });
out.invalidTransition = await attempt(() => jira.issues.doTransition({ issueIdOrKey: key, transition: { id: '999' } }));

out.comment = await jira.issueComments.addComment({ issueIdOrKey: key, comment: 'First *comment*' });
await jira.issueComments.addComment({ issueIdOrKey: key, comment: 'Second comment' });
out.commentsPage1 = await jira.issueComments.getComments({ issueIdOrKey: key, maxResults: 1 });
out.commentsPage2 = await jira.issueComments.getComments({ issueIdOrKey: key, startAt: 1, maxResults: 1 });

out.attachments = await jira.issueAttachments.addAttachment({
  issueIdOrKey: key,
  attachment: [
    { filename: 'dump.txt', file: Buffer.from('hello from jira.js') },
    { filename: 'second.txt', file: Buffer.from('second file') },
  ],
});

// Download both ways: following the 303 to the signed media URL, and redirect=false with a Range.
const followed = await jira.issueAttachments.getAttachmentContent({ id: out.attachments[0].id, redirect: true });
out.downloaded = Buffer.from(followed).toString('utf8');
const ranged = await jira.issueAttachments.getAttachmentContent({ id: out.attachments[0].id, range: 'bytes=0-4' });
out.downloadedRange = Buffer.from(ranged).toString('utf8');
out.attachmentMeta = await jira.issueAttachments.getAttachmentMeta();

out.setProperty = await jira.issueProperties.setIssueProperty({ issueIdOrKey: key, propertyKey: 'sync', propertyValue: { state: 'done' } });
out.getProperty = await jira.issueProperties.getIssueProperty({ issueIdOrKey: key, propertyKey: 'pluginhub' });

out.bulk = await attempt(() => jira.issues.createIssues({
  issueUpdates: [
    { fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'bulk 1', labels: ['jsv2'] } },
    { fields: { project: { key: 'SUP' }, issuetype: { id: '999999' }, summary: 'bulk bad' } },
    { fields: { project: { key: 'SUP' }, issuetype: { name: 'Bug' }, summary: 'bulk 2', labels: ['jsv2'] } },
  ],
}));

// Enhanced search, paged one issue at a time with the token (GET), then one POST page.
const pages = [];
let token;
do {
  const page = await jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
    jql: 'labels = jsv2 ORDER BY key ASC', maxResults: 1, fields: ['summary', 'updated'], nextPageToken: token,
  });
  pages.push(page);
  token = page.nextPageToken;
} while (token && pages.length < 10);
out.searchPages = pages;
out.searchPost = await jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql: 'labels = jsv2', fields: ['summary'], maxResults: 50 });
out.count = await jira.issueSearch.countIssues({ jql: 'labels = jsv2' });
// Bulk fetch: ids and keys mixed, a missing key left out, expand as a list.
out.bulkFetch = await jira.issues.bulkFetchIssues({ issueIdsOrKeys: [key, 'SUP-999999', created.id], fields: ['summary', 'status'], expand: ['changelog'] });
out.removedSearch = await attempt(() => jira.issueSearch.searchForIssuesUsingJql({ jql: 'project = SUP' }));

out.notFound = await attempt(() => jira.issues.getIssue({ issueIdOrKey: 'SUP-999999' }));
out.badJql = await attempt(() => jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = "unterminated' }));
out.createError = await attempt(() => jira.issues.createIssue({ fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' } } }));
// Transition on create (Cloud): the first workflow step taken by the create itself, its outcome in the created issue.
out.createdStarted = await jira.issues.createIssue({
  fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'born started', labels: ['jsv2t'] },
  transition: { id: start.id },
});
out.startedStatus = await jira.issues.getIssue({ issueIdOrKey: out.createdStarted.key, fields: ['status'] });
out.bulkTransition = await jira.issues.createIssues({
  issueUpdates: [
    { fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'bulk started', labels: ['jsv2t'] }, transition: { id: start.id } },
    { fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'bulk not done', labels: ['jsv2t'] }, transition: { id: done.id } },
  ],
});
const wrong = new Version2Client({ host: env.url, authentication: { basic: { email: env.email, apiToken: 'wrong' } } });
out.wrongCredentials = await attempt(() => wrong.myself.getCurrentUser());

print(out);
