// Salesforce Case → Jira issue: only cases above Low priority become issues.
// Records the filter drops are counted as "skipped" in the run, not as failures.

/**
 * @param {PluginHub.SourceRecord} record
 * @param {PluginHub.RuleContext} ctx
 * @returns {boolean}
 */
function filter(record, ctx) {
  const priority = record.fields.Priority;
  if (priority && priority.key === 'Low') {
    ctx.log('skipped low-priority case', record.key);
    return false;
  }

  return true;
}
