// Salesforce Case → Jira issue: start the summary with the case number, e.g. "[00001001] Printer on fire".
// Safe to run again on the same record: an existing prefix is not repeated.

/**
 * @param {PluginHub.SourceRecord} record
 * @param {PluginHub.Fields} target
 * @param {PluginHub.RuleContext} ctx
 * @returns {PluginHub.Fields}
 */
function transform(record, target, ctx) {
  const caseNumber = record.fields.CaseNumber || record.key;
  if (!caseNumber) {
    return target;
  }

  const prefix = '[' + caseNumber + '] ';
  const summary = typeof target.summary === 'string' ? target.summary : (record.fields.Subject || '');
  target.summary = summary.startsWith(prefix) ? summary : prefix + summary;
  return target;
}
