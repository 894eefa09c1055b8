// Salesforce Case → Jira issue: the case's Origin (Web, Phone, Email…) becomes a Jira label.
// The value map "originLabels" may rename origins (e.g. "Email" → "from-email"); unmapped origins become
// "origin-<origin>" in lower case with spaces as dashes (Jira labels cannot contain spaces).
// Labels the mappings already produced are kept.

/** @param {string} origin */
const defaultLabel = (origin) => 'origin-' + origin.trim().toLowerCase().replace(/\s+/g, '-');

/**
 * @param {PluginHub.SourceRecord} record
 * @param {PluginHub.Fields} target
 * @param {PluginHub.RuleContext} ctx
 * @returns {PluginHub.Fields}
 */
function transform(record, target, ctx) {
  const origin = record.fields.Origin;
  if (!origin || !origin.key) {
    return target;
  }

  const label = ctx.mapValue('originLabels', origin, null) || defaultLabel(origin.key);
  const labels = Array.isArray(target.labels) ? target.labels.map((l) => (typeof l === 'string' ? l : l.key)) : [];
  if (!labels.includes(label)) {
    labels.push(label);
  }

  target.labels = labels;
  return target;
}
