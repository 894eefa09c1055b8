// Drives the Jira Cloud sandbox with jira.js 5.4.0's Version3Client (REST v3, Atlassian Document Format).
import { Version3Client } from 'jira.js';
import { env, attempt, print } from './common.mjs';

const jira = new Version3Client({ host: env.url, authentication: { basic: { email: env.email, apiToken: env.token } } });
const out = {};

out.myself = await jira.myself.getCurrentUser();

const doc = (text) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
out.created = await jira.issues.createIssue({
  fields: { project: { key: 'SUP' }, issuetype: { name: 'Bug' }, summary: 'v3 issue', description: doc('Described in ADF'), labels: ['jsv3'] },
  properties: [{ key: 'pluginhub', value: { externalId: '500XX000003' } }],
});
const key = out.created.key;
// jira.js 5.4.0 wraps a string description into ADF itself; other rich-text fields given as strings get Jira's ADF error.
out.stringDescription = await jira.issues.createIssue({ fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'x', description: 'plain' } });
out.stringDescriptionRead = await jira.issues.getIssue({ issueIdOrKey: out.stringDescription.key, fields: ['description'] });
out.stringEnvironment = await attempt(() => jira.issues.createIssue({ fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'x', environment: 'plain' } }));

out.issue = await jira.issues.getIssue({ issueIdOrKey: key, expand: ['renderedFields', 'names'] });
out.edit = await jira.issues.editIssue({ issueIdOrKey: key, fields: { description: doc('Edited in ADF') } });
out.afterEdit = await jira.issues.getIssue({ issueIdOrKey: key, fields: ['description'] });

out.transitions = await jira.issues.getTransitions({ issueIdOrKey: key });
await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: out.transitions.transitions[0].id } });
out.afterTransition = await jira.issues.getTransitions({ issueIdOrKey: key });

// A string comment is wrapped into one ADF paragraph with a single text node, newlines included.
out.comment = await jira.issueComments.addComment({ issueIdOrKey: key, comment: 'line one\nline two' });
out.comments = await jira.issueComments.getComments({ issueIdOrKey: key });

out.attachments = await jira.issueAttachments.addAttachment({ issueIdOrKey: key, attachment: { filename: 'v3.txt', file: Buffer.from('v3 bytes') } });
out.setProperty = await jira.issueProperties.setIssueProperty({ issueIdOrKey: key, propertyKey: 'pluginhub', propertyValue: { externalId: '500XX000004' } });
out.getProperty = await jira.issueProperties.getIssueProperty({ issueIdOrKey: key, propertyKey: 'pluginhub' });

out.bulk = await jira.issues.createIssues({ issueUpdates: [{ fields: { project: { key: 'SUP' }, issuetype: { name: 'Task' }, summary: 'v3 bulk', labels: ['jsv3'] } }] });

const pages = [];
let token;
do {
  const page = await jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
    jql: 'labels = jsv3 ORDER BY created ASC', maxResults: 1, fields: ['summary', 'description'], nextPageToken: token,
  });
  pages.push(page);
  token = page.nextPageToken;
} while (token && pages.length < 10);
out.searchPages = pages;
out.bulkFetch = await jira.issues.bulkFetchIssues({ issueIdsOrKeys: [key], fields: ['description'] });

out.notFound = await attempt(() => jira.issues.getIssue({ issueIdOrKey: 'NOPE-1' }));
print(out);
