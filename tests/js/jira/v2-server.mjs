// Drives the Jira Server/Data Center sandbox with jira.js 5.4.0's Version2Client: Basic with a username
// (5.x does not insist on an e-mail) and a personal access token sent as Bearer (oauth2.accessToken).
import { Version2Client, Version3Client } from 'jira.js';
import { env, attempt, print } from './common.mjs';

const jira = new Version2Client({ host: env.url, authentication: { basic: { email: env.email, apiToken: env.token } } });
const withPat = new Version2Client({ host: env.url, authentication: { oauth2: { accessToken: env.pat } } });
const out = {};

out.myself = await jira.myself.getCurrentUser();
out.patMyself = await withPat.myself.getCurrentUser();

for (let i = 0; i < 3; i++) {
  await jira.issues.createIssue({ fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: `server ${i}`, labels: ['jsserver'], assignee: { name: 'developer' } } });
}

const pages = [];
for (let startAt = 0; ; ) {
  const page = await jira.issueSearch.searchForIssuesUsingJql({ jql: 'labels = jsserver ORDER BY key ASC', startAt, maxResults: 2, fields: ['summary', 'assignee'] });
  pages.push(page);
  startAt += page.issues.length;
  if (page.issues.length === 0 || startAt >= page.total) break;
}
out.searchPages = pages;
out.searchPost = await jira.issueSearch.searchForIssuesUsingJqlPost({ jql: 'labels = jsserver', startAt: 0, maxResults: 50, fields: ['summary'] });
out.enhanced = await attempt(() => jira.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'labels = jsserver' }));

const key = out.searchPost.issues[0].key;
out.edit = await withPat.issues.editIssue({ issueIdOrKey: key, fields: { summary: 'edited with a PAT' } });
out.afterEdit = await jira.issues.getIssue({ issueIdOrKey: key, expand: ['changelog'] });
out.comment = await jira.issueComments.addComment({ issueIdOrKey: key, comment: 'server comment' });
out.attachments = await jira.issueAttachments.addAttachment({ issueIdOrKey: key, attachment: { filename: 'server.txt', file: Buffer.from('server bytes') } });
const v3 = new Version3Client({ host: env.url, authentication: { basic: { email: env.email, apiToken: env.token } } });
out.v3 = await attempt(() => v3.myself.getCurrentUser());
out.badJql = await attempt(() => jira.issueSearch.searchForIssuesUsingJqlPost({ jql: 'project = NOPE' }));
print(out);
