// Jira issue → Salesforce Case: the first component fills the Case picklist Product_Area__c.
// The value map "componentAreas" turns component names into picklist values; an unmapped component
// leaves the picklist as the mappings set it, and an issue without components clears it.

/**
 * @param {PluginHub.SourceRecord} record
 * @param {PluginHub.Fields} target
 * @param {PluginHub.RuleContext} ctx
 * @returns {PluginHub.Fields}
 */
function transform(record, target, ctx) {
  const components = record.fields.components || [];
  if (components.length === 0) {
    target.Product_Area__c = null;
    return target;
  }

  const first = components[0];
  const area = ctx.mapValue('componentAreas', first.label || first.key, null);
  if (area === null) {
    ctx.log('no picklist value for component', first.label || first.key);
    return target;
  }

  target.Product_Area__c = { key: area, label: area };
  return target;
}
