using System.Text.Json.Nodes;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Endpoints;

/// <summary>describeGlobal entries and full describes with every key jsforce's <c>Field</c> type lists (reference §5.6).</summary>
internal static class SfDescribe
{
    public static JsonObject Global(SfOrg org, string version)
    {
        var list = new JsonArray();
        foreach (var o in org.Objects.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            list.Add(Entry(o, version));
        }

        return new JsonObject { ["encoding"] = "UTF-8", ["maxBatchSize"] = 200, ["sobjects"] = list };
    }

    public static JsonObject Entry(SfObject o, string version)
    {
        var basePath = $"/services/data/v{version}/sobjects/{o.Name}";
        return new JsonObject
        {
            ["activateable"] = false,
            ["associateEntityType"] = null,
            ["associateParentEntity"] = null,
            ["createable"] = o.Createable,
            ["custom"] = o.Custom,
            ["customSetting"] = false,
            ["deepCloneable"] = false,
            ["deletable"] = o.Deletable,
            ["deprecatedAndHidden"] = false,
            ["feedEnabled"] = o.FeedEnabled,
            ["hasSubtypes"] = false,
            ["isInterface"] = false,
            ["isSubtype"] = false,
            ["keyPrefix"] = o.KeyPrefix,
            ["label"] = o.Label,
            ["labelPlural"] = o.LabelPlural,
            ["layoutable"] = true,
            ["mergeable"] = o.Name is "Account" or "Contact" or "Case",
            ["mruEnabled"] = true,
            ["name"] = o.Name,
            ["queryable"] = true,
            ["replicateable"] = true,
            ["retrieveable"] = true,
            ["searchable"] = true,
            ["triggerable"] = true,
            ["undeletable"] = o.Deletable,
            ["updateable"] = o.Updateable,
            ["idEnabled"] = true,
            ["urls"] = new JsonObject
            {
                ["sobject"] = basePath,
                ["describe"] = basePath + "/describe",
                ["rowTemplate"] = basePath + "/{ID}",
            },
        };
    }

    public static JsonObject Full(SfOrg org, SfObject o, string version)
    {
        var d = Entry(o, version);
        var basePath = $"/services/data/v{version}/sobjects/{o.Name}";
        var urls = (JsonObject)d["urls"]!;
        urls["compactLayouts"] = basePath + "/describe/compactLayouts";
        urls["approvalLayouts"] = basePath + "/describe/approvalLayouts";
        urls["uiDetailTemplate"] = "https://sandbox.pluginhub.test/{ID}";
        urls["uiEditTemplate"] = "https://sandbox.pluginhub.test/{ID}/e";
        urls["defaultValues"] = basePath + "/defaultValues?recordTypeId&fields";
        urls["listviews"] = basePath + "/listviews";
        urls["layouts"] = basePath + "/describe/layouts";
        urls["quickActions"] = basePath + "/quickActions";
        urls["uiNewRecord"] = $"https://sandbox.pluginhub.test/{o.KeyPrefix}/e";
        var children = new JsonArray();
        foreach (var c in org.ChildRelationships(o))
        {
            children.Add(new JsonObject
            {
                ["cascadeDelete"] = c.Field.CascadeDelete,
                ["childSObject"] = c.Child.Name,
                ["deprecatedAndHidden"] = false,
                ["field"] = c.Field.Name,
                ["junctionIdListNames"] = new JsonArray(),
                ["junctionReferenceTo"] = new JsonArray(),
                ["relationshipName"] = c.RelationshipName,
                ["restrictedDelete"] = false,
            });
        }

        d["actionOverrides"] = new JsonArray();
        d["childRelationships"] = children;
        d["compactLayoutable"] = true;
        d["fields"] = new JsonArray(o.Fields.Select(f => (JsonNode?)Field(f)).ToArray());
        d["listviewable"] = null;
        d["lookupLayoutable"] = null;
        d["namedLayoutInfos"] = new JsonArray();
        d["networkScopeFieldName"] = null;
        d["recordTypeInfos"] = new JsonArray(new JsonObject
        {
            ["active"] = true,
            ["available"] = true,
            ["defaultRecordTypeMapping"] = true,
            ["developerName"] = "Master",
            ["master"] = true,
            ["name"] = "Master",
            ["recordTypeId"] = "012000000000000AAA",
            ["urls"] = new JsonObject { ["layout"] = basePath + "/describe/layouts/012000000000000AAA" },
        });
        d["searchLayoutable"] = true;
        d["sobjectDescribeOption"] = "FULL";
        d["supportedScopes"] = new JsonArray(new JsonObject { ["label"] = "All " + o.LabelPlural.ToLowerInvariant(), ["name"] = "everything" });
        return d;
    }

    public static JsonObject Field(SfField f)
    {
        var (type, soap) = f.Type switch
        {
            SfType.Id => ("id", "tns:ID"),
            SfType.Reference => ("reference", "tns:ID"),
            SfType.String => ("string", "xsd:string"),
            SfType.TextArea => ("textarea", "xsd:string"),
            SfType.Picklist => ("picklist", "xsd:string"),
            SfType.MultiPicklist => ("multipicklist", "xsd:string"),
            SfType.Email => ("email", "xsd:string"),
            SfType.Phone => ("phone", "xsd:string"),
            SfType.Url => ("url", "xsd:string"),
            SfType.Boolean => ("boolean", "xsd:boolean"),
            SfType.Int => ("int", "xsd:int"),
            SfType.Double => ("double", "xsd:double"),
            SfType.Currency => ("currency", "xsd:double"),
            SfType.Percent => ("percent", "xsd:double"),
            SfType.Date => ("date", "xsd:date"),
            SfType.DateTime => ("datetime", "xsd:dateTime"),
            _ => ("base64", "xsd:base64Binary"),
        };
        var textual = f.IsTextual || f.IsIdLike;
        var filterable = f.Type != SfType.Base64 && !(f.Type == SfType.TextArea && f.Length > 255);
        var picklist = new JsonArray(f.Picklist.Select(p => (JsonNode?)new JsonObject
        {
            ["active"] = true,
            ["defaultValue"] = p.IsDefault,
            ["label"] = p.Value,
            ["validFor"] = null,
            ["value"] = p.Value,
        }).ToArray());
        var referenceTo = new JsonArray(f.ReferenceTo.Select(r => (JsonNode?)r).ToArray());
        return new JsonObject
        {
            ["aggregatable"] = filterable,
            ["aiPredictionField"] = false,
            ["autoNumber"] = f.AutoNumber,
            ["byteLength"] = textual ? f.Length * 3 : 0,
            ["calculated"] = f.Calculated,
            ["calculatedFormula"] = null,
            ["cascadeDelete"] = f.CascadeDelete,
            ["caseSensitive"] = false,
            ["compoundFieldName"] = null,
            ["controllerName"] = null,
            ["createable"] = f.Createable,
            ["custom"] = f.Custom,
            ["defaultValue"] = f.DefaultValue is bool b ? b : null,
            ["defaultValueFormula"] = null,
            ["defaultedOnCreate"] = f.DefaultedOnCreate,
            ["dependentPicklist"] = false,
            ["deprecatedAndHidden"] = false,
            ["digits"] = f.Type == SfType.Int ? f.Precision : 0,
            ["displayLocationInDecimal"] = false,
            ["encrypted"] = false,
            ["externalId"] = f.ExternalId,
            ["extraTypeInfo"] = f.Type == SfType.TextArea ? "plaintextarea" : null,
            ["filterable"] = filterable,
            ["filteredLookupInfo"] = null,
            ["formulaTreatNullNumberAsZero"] = false,
            ["groupable"] = filterable && f.Type is not (SfType.Double or SfType.Currency or SfType.Percent or SfType.DateTime),
            ["highScaleNumber"] = false,
            ["htmlFormatted"] = false,
            ["idLookup"] = f.IdLookup,
            ["inlineHelpText"] = null,
            ["label"] = f.Label,
            ["length"] = textual ? f.Length : 0,
            ["mask"] = null,
            ["maskType"] = null,
            ["name"] = f.Name,
            ["nameField"] = f.NameField,
            ["namePointing"] = f.IsPolymorphic,
            ["nillable"] = f.Nillable && f.Type != SfType.Boolean,
            ["permissionable"] = f.Custom || (f.Nillable && !f.IsSystem),
            ["picklistValues"] = picklist,
            ["polymorphicForeignKey"] = f.IsPolymorphic,
            ["precision"] = f.Type is SfType.Double or SfType.Currency or SfType.Percent ? f.Precision : 0,
            ["queryByDistance"] = false,
            ["referenceTargetField"] = null,
            ["referenceTo"] = referenceTo,
            ["relationshipName"] = f.RelationshipName,
            ["relationshipOrder"] = null,
            ["restrictedDelete"] = false,
            ["restrictedPicklist"] = f.RestrictedPicklist,
            ["scale"] = f.Scale,
            ["searchPrefilterable"] = f.IsIdLike && f.Type == SfType.Reference,
            ["soapType"] = soap,
            ["sortable"] = filterable,
            ["type"] = type,
            ["unique"] = f.Unique,
            ["updateable"] = f.Updateable,
            ["writeRequiresMasterRead"] = false,
        };
    }
}
