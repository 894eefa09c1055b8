namespace PluginHub.Sandbox.Salesforce.Data;

/// <summary>The standard objects of a fresh org with their real fields, picklists and defaults (reference §7).</summary>
internal static class StandardObjects
{
    public static readonly string[] CaseStatuses = ["New", "Working", "Escalated", "Closed"];

    /// <summary>Case fields that mirror the case's contact (read-only), with the contact field they copy.</summary>
    public static readonly (string Field, SfType Type)[] ContactMirrors = [("ContactEmail", SfType.Email), ("ContactPhone", SfType.Phone), ("ContactMobile", SfType.Phone), ("ContactFax", SfType.Phone)];

    public static List<SfObject> Create()
    {
        var user = Obj("User", "005", audit: true, owner: null);
        Text(user, "Username", 80).Also(f => { f.Nillable = false; f.Unique = true; f.IdLookup = true; });
        Text(user, "LastName", 80).Nillable = false;
        Text(user, "FirstName", 40);
        NameOf(user, 121);
        Add(user, "Email", SfType.Email, 128).Nillable = false;
        Text(user, "Alias", 8).Nillable = false;
        Add(user, "IsActive", SfType.Boolean).Also(f => { f.DefaultValue = true; f.DefaultedOnCreate = true; f.Nillable = false; });
        Pick(user, "UserType", ["Standard", "AutomatedProcess", "PowerPartner", "CsnOnly"], "Standard").Also(f => { f.Createable = false; f.Updateable = false; });
        Pick(user, "TimeZoneSidKey", ["GMT", "Europe/London", "Europe/Paris", "America/New_York", "America/Los_Angeles"], "GMT").RestrictedPicklist = true;
        Pick(user, "LocaleSidKey", ["en_US", "en_GB", "fr_FR", "de_DE"], "en_US").RestrictedPicklist = true;
        Pick(user, "LanguageLocaleKey", ["en_US", "fr", "de"], "en_US").RestrictedPicklist = true;
        Pick(user, "EmailEncodingKey", ["UTF-8", "ISO-8859-1"], "UTF-8").RestrictedPicklist = true;
        Text(user, "Title", 80);
        Text(user, "Department", 80);
        Text(user, "CompanyName", 80);
        Add(user, "Phone", SfType.Phone, 40);

        var group = Obj("Group", "00G", audit: true, owner: null);
        Text(group, "Name", 40).Also(f => { f.Nillable = false; f.NameField = true; });
        Text(group, "DeveloperName", 80);
        Pick(group, "Type", ["Regular", "Queue", "Role", "Organization"], "Regular").RestrictedPicklist = true;
        Add(group, "Email", SfType.Email, 255);

        var org = Obj("Organization", "00D", audit: true, owner: null);
        org.Createable = org.Updateable = org.Deletable = false;
        Text(org, "Name", 80).NameField = true;
        Text(org, "InstanceName", 5);
        Add(org, "IsSandbox", SfType.Boolean);
        Text(org, "OrganizationType", 40);
        Text(org, "TimeZoneSidKey", 40);

        var account = Obj("Account", "001", audit: true, owner: "User", labelPlural: "Accounts");
        account.FeedEnabled = true;
        Text(account, "Name", 255).Also(f => { f.Nillable = false; f.NameField = true; });
        Pick(account, "Type", ["Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Installation Partner", "Technology Partner", "Other"]);
        Pick(account, "Industry", ["Agriculture", "Banking", "Communications", "Education", "Energy", "Healthcare", "Manufacturing", "Retail", "Technology", "Other"]);
        Add(account, "Phone", SfType.Phone, 40);
        Add(account, "Website", SfType.Url, 255);
        Text(account, "AccountNumber", 40);
        Add(account, "BillingStreet", SfType.TextArea, 255);
        Text(account, "BillingCity", 40);
        Text(account, "BillingState", 80);
        Text(account, "BillingPostalCode", 20);
        Text(account, "BillingCountry", 80);
        Add(account, "NumberOfEmployees", SfType.Int).Precision = 8;
        Add(account, "AnnualRevenue", SfType.Currency).Also(f => { f.Precision = 18; f.Scale = 0; });
        Add(account, "Description", SfType.TextArea, 32000);

        var contact = Obj("Contact", "003", audit: true, owner: "User", labelPlural: "Contacts");
        contact.FeedEnabled = true;
        Ref(contact, "AccountId", "Account", "Account", "Contacts");
        Text(contact, "LastName", 80).Nillable = false;
        Text(contact, "FirstName", 40);
        Pick(contact, "Salutation", ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]);
        NameOf(contact, 121);
        Add(contact, "Email", SfType.Email, 80);
        Add(contact, "Phone", SfType.Phone, 40);
        Add(contact, "MobilePhone", SfType.Phone, 40);
        Add(contact, "Fax", SfType.Phone, 40);
        Text(contact, "Title", 128);
        Text(contact, "Department", 80);
        Add(contact, "Description", SfType.TextArea, 32000);

        var caseObj = Obj("Case", "500", audit: true, owner: null, labelPlural: "Cases");
        caseObj.FeedEnabled = true;
        Text(caseObj, "CaseNumber", 30).Also(f => { f.AutoNumber = true; f.NameField = true; f.Createable = false; f.Updateable = false; f.DefaultedOnCreate = true; f.Nillable = false; f.Label = "Case Number"; });
        Ref(caseObj, "ContactId", "Contact", "Contact", "Cases");
        Ref(caseObj, "AccountId", "Account", "Account", "Cases");
        Ref(caseObj, "ParentId", "Case", "Parent", "Cases");
        Text(caseObj, "SuppliedName", 80);
        Add(caseObj, "SuppliedEmail", SfType.Email, 80);
        Text(caseObj, "SuppliedPhone", 40);
        Text(caseObj, "SuppliedCompany", 80);
        foreach (var (mirror, type) in ContactMirrors)
        {
            Add(caseObj, mirror, type, type == SfType.Email ? 80 : 40).Also(ReadOnly);
        }

        Pick(caseObj, "Type", ["Mechanical", "Electrical", "Electronic", "Structural", "Other"]);
        Pick(caseObj, "Status", CaseStatuses, "New");
        Pick(caseObj, "Reason", ["Installation", "Equipment Complexity", "Performance", "Breakdown", "Equipment Design", "Feedback", "Other"]);
        Pick(caseObj, "Origin", ["Phone", "Email", "Web"]);
        Text(caseObj, "Subject", 255);
        Pick(caseObj, "Priority", ["High", "Medium", "Low"], "Medium");
        Add(caseObj, "Description", SfType.TextArea, 32000);
        Add(caseObj, "IsClosed", SfType.Boolean).Also(ReadOnly).Also(f => f.Label = "Closed");
        Add(caseObj, "ClosedDate", SfType.DateTime).Also(ReadOnly).Also(f => f.Label = "Closed Date");
        Add(caseObj, "IsEscalated", SfType.Boolean).Also(f => { f.DefaultValue = false; f.DefaultedOnCreate = true; f.Nillable = false; f.Label = "Escalated"; });
        Owner(caseObj, ["User", "Group"]);
        Add(caseObj, "Comments", SfType.TextArea, 4000).Label = "Internal Comments";
        Add(caseObj, "LastViewedDate", SfType.DateTime).Also(ReadOnly);
        Add(caseObj, "LastReferencedDate", SfType.DateTime).Also(ReadOnly);
        Text(caseObj, "Jira_Key__c", 255).Also(f => { f.Custom = true; f.ExternalId = true; f.Unique = true; f.IdLookup = true; f.Label = "Jira Key"; });

        var caseStatus = Obj("CaseStatus", "01J", audit: true, owner: null, labelPlural: "Case Status Values");
        caseStatus.Createable = caseStatus.Updateable = caseStatus.Deletable = false;
        Text(caseStatus, "MasterLabel", 255).NameField = true;
        Text(caseStatus, "ApiName", 255);
        Add(caseStatus, "IsClosed", SfType.Boolean);
        Add(caseStatus, "IsDefault", SfType.Boolean);
        Add(caseStatus, "SortOrder", SfType.Int);

        var comment = Obj("CaseComment", "00a", audit: true, owner: null, labelPlural: "Case Comments");
        Ref(comment, "ParentId", "Case", "Parent", "CaseComments").Also(CreateOnlyRequired).CascadeDelete = true;
        Add(comment, "IsPublished", SfType.Boolean).Also(f => { f.DefaultValue = false; f.DefaultedOnCreate = true; f.Nillable = false; });
        Add(comment, "CommentBody", SfType.TextArea, 4000).Label = "Body";
        Add(comment, "IsNotificationSelected", SfType.Boolean).Also(f => { f.DefaultValue = false; f.DefaultedOnCreate = true; f.Nillable = false; });

        var attachment = Obj("Attachment", "00P", audit: true, owner: "User", labelPlural: "Attachments");
        AnyRef(attachment, "ParentId", "Parent", "Attachments").Also(CreateOnlyRequired).CascadeDelete = true;
        Text(attachment, "Name", 255).Also(f => { f.Nillable = false; f.NameField = true; f.Label = "File Name"; });
        Add(attachment, "IsPrivate", SfType.Boolean).Also(f => { f.DefaultValue = false; f.DefaultedOnCreate = true; f.Nillable = false; });
        Text(attachment, "ContentType", 120);
        Add(attachment, "BodyLength", SfType.Int).Also(ReadOnly);
        Add(attachment, "Body", SfType.Base64).Nillable = false;
        Add(attachment, "Description", SfType.TextArea, 500);

        var document = Obj("ContentDocument", "069", audit: true, owner: "User", labelPlural: "Content Documents");
        document.Createable = false;
        Text(document, "Title", 255).Also(f => { f.Nillable = false; f.NameField = true; });
        Add(document, "IsArchived", SfType.Boolean).Also(ReadOnly);
        Text(document, "FileType", 20).Also(ReadOnly);
        Text(document, "FileExtension", 40).Also(ReadOnly);
        Add(document, "ContentSize", SfType.Int).Also(ReadOnly);
        Add(document, "Description", SfType.TextArea, 1000);

        var version = Obj("ContentVersion", "068", audit: true, owner: "User", labelPlural: "Content Versions");
        Ref(version, "ContentDocumentId", "ContentDocument", "ContentDocument", "ContentVersions").Also(f => { f.Updateable = false; f.CascadeDelete = true; });
        Add(version, "IsLatest", SfType.Boolean).Also(ReadOnly);
        Text(version, "Title", 255).Also(f => { f.NameField = true; f.DefaultedOnCreate = true; });
        Text(version, "PathOnClient", 500).Also(CreateOnlyRequired);
        Add(version, "VersionData", SfType.Base64).Also(f => { f.Nillable = false; f.Updateable = false; });
        Add(version, "ContentSize", SfType.Int).Also(ReadOnly);
        Text(version, "FileType", 20).Also(ReadOnly);
        Text(version, "FileExtension", 40).Also(ReadOnly);
        Text(version, "VersionNumber", 20).Also(ReadOnly);
        Text(version, "Checksum", 50).Also(ReadOnly);
        AnyRef(version, "FirstPublishLocationId", "FirstPublishLocation", null).Updateable = false;
        Text(version, "ReasonForChange", 1000);
        Add(version, "ContentModifiedDate", SfType.DateTime).Also(ReadOnly);
        Pick(version, "Origin", ["C", "H"], "C").RestrictedPicklist = true;
        Pick(version, "ContentLocation", ["S", "E", "L"], "S").RestrictedPicklist = true;
        Pick(version, "SharingOption", ["A", "R"], "A").RestrictedPicklist = true;
        Pick(version, "SharingPrivacy", ["N", "P"], "N").RestrictedPicklist = true;
        Add(version, "Description", SfType.TextArea, 1000);

        // ContentDocument.LatestPublishedVersionId needs ContentVersion to exist first.
        Ref(document, "LatestPublishedVersionId", "ContentVersion", "LatestPublishedVersion", null).Also(ReadOnly);

        var link = Obj("ContentDocumentLink", "06A", audit: false, owner: null, labelPlural: "Content Document Links");
        Ref(link, "LinkedEntityId", "User", "LinkedEntity", "ContentDocumentLinks").Also(CreateOnlyRequired).Also(f => { f.AnyParent = true; f.ReferenceTo = []; f.CascadeDelete = true; });
        Ref(link, "ContentDocumentId", "ContentDocument", "ContentDocument", "ContentDocumentLinks").Also(CreateOnlyRequired).CascadeDelete = true;
        Pick(link, "ShareType", ["V", "C", "I"], "V").Also(f => f.RestrictedPicklist = true);
        Pick(link, "Visibility", ["AllUsers", "InternalUsers", "SharedUsers"], "InternalUsers").RestrictedPicklist = true;

        var email = Obj("EmailMessage", "02s", audit: true, owner: null, labelPlural: "Email Messages");
        Ref(email, "ParentId", "Case", "Parent", "EmailMessages").Also(f => f.CascadeDelete = true);
        Text(email, "Subject", 3000).NameField = true;
        Add(email, "TextBody", SfType.TextArea, 32000);
        Add(email, "HtmlBody", SfType.TextArea, 32000);
        Add(email, "Headers", SfType.TextArea, 32000);
        Text(email, "FromName", 1000);
        Add(email, "FromAddress", SfType.Email, 1000);
        Text(email, "ToAddress", 4000);
        Text(email, "CcAddress", 4000);
        Text(email, "BccAddress", 4000);
        Add(email, "Incoming", SfType.Boolean).Also(f => { f.DefaultValue = false; f.DefaultedOnCreate = true; f.Nillable = false; });
        Add(email, "HasAttachment", SfType.Boolean).Also(ReadOnly);
        Pick(email, "Status", ["0", "1", "2", "3", "4", "5"], "0").RestrictedPicklist = true;
        Add(email, "MessageDate", SfType.DateTime);

        var feed = Obj("FeedItem", "0D5", audit: true, owner: null, labelPlural: "Feed Items");
        AnyRef(feed, "ParentId", "Parent", "Feeds").Also(CreateOnlyRequired).CascadeDelete = true;
        Pick(feed, "Type", ["TextPost", "ContentPost", "LinkPost", "TrackedChange", "QuestionPost"], "TextPost").Also(f => { f.RestrictedPicklist = true; f.Updateable = false; });
        Add(feed, "Body", SfType.TextArea, 10000);
        Text(feed, "Title", 255);
        Add(feed, "LinkUrl", SfType.Url, 1000);
        Ref(feed, "RelatedRecordId", "ContentVersion", null, null);
        Add(feed, "IsRichText", SfType.Boolean).Also(f => { f.DefaultValue = false; f.DefaultedOnCreate = true; f.Nillable = false; });
        Add(feed, "CommentCount", SfType.Int).Also(ReadOnly);
        Add(feed, "LikeCount", SfType.Int).Also(ReadOnly);

        return [user, group, org, account, contact, caseObj, caseStatus, comment, attachment, document, version, link, email, feed];
    }

    /// <summary>A new object with the system fields every object has (audit fields unless <paramref name="audit"/> is false, as on ContentDocumentLink).</summary>
    public static SfObject Obj(string name, string prefix, bool audit, string? owner, string? labelPlural = null)
    {
        var o = new SfObject(name, prefix, labelPlural);
        o.Add(new SfField("Id", SfType.Id) { Createable = false, Updateable = false, Nillable = false, DefaultedOnCreate = true, IdLookup = true, IsSystem = true, Length = 18, Label = $"{o.Label} ID" });
        if (owner is not null)
        {
            Owner(o, [owner]);
        }

        o.Add(new SfField("IsDeleted", SfType.Boolean) { Createable = false, Updateable = false, Nillable = false, DefaultedOnCreate = true, IsSystem = true, Label = "Deleted" });
        if (audit)
        {
            o.Add(new SfField("CreatedDate", SfType.DateTime) { IsSystem = true, Label = "Created Date" }.Also(SystemReadOnly));
            o.Add(new SfField("CreatedById", SfType.Reference) { IsSystem = true, ReferenceTo = ["User"], RelationshipName = "CreatedBy", Label = "Created By ID" }.Also(SystemReadOnly));
            o.Add(new SfField("LastModifiedDate", SfType.DateTime) { IsSystem = true, Label = "Last Modified Date" }.Also(SystemReadOnly));
            o.Add(new SfField("LastModifiedById", SfType.Reference) { IsSystem = true, ReferenceTo = ["User"], RelationshipName = "LastModifiedBy", Label = "Last Modified By ID" }.Also(SystemReadOnly));
        }

        o.Add(new SfField("SystemModstamp", SfType.DateTime) { IsSystem = true, Label = "System Modstamp" }.Also(SystemReadOnly));
        return o;
    }

    public static SfField Owner(SfObject o, string[] targets) =>
        o.Add(new SfField("OwnerId", SfType.Reference) { ReferenceTo = targets, RelationshipName = "Owner", DefaultedOnCreate = true, Nillable = false, Length = 18, Label = "Owner ID" });

    public static SfField Add(SfObject o, string name, SfType type, int length = 0) => o.Add(new SfField(name, type) { Length = length });

    public static SfField Text(SfObject o, string name, int length) => Add(o, name, SfType.String, length);

    public static SfField Ref(SfObject o, string name, string target, string? relationship, string? childRelationship) =>
        o.Add(new SfField(name, SfType.Reference) { ReferenceTo = [target], RelationshipName = relationship, ChildRelationshipName = childRelationship, Length = 18 });

    public static SfField AnyRef(SfObject o, string name, string? relationship, string? childRelationship) =>
        o.Add(new SfField(name, SfType.Reference) { AnyParent = true, RelationshipName = relationship, ChildRelationshipName = childRelationship, Length = 18 });

    public static SfField Pick(SfObject o, string name, string[] values, string? defaultValue = null)
    {
        var f = Add(o, name, SfType.Picklist, 255);
        foreach (var v in values)
        {
            f.Picklist.Add(new PicklistValue(v, v == defaultValue));
        }

        if (defaultValue is not null)
        {
            f.DefaultValue = defaultValue;
            f.DefaultedOnCreate = true;
        }

        return f;
    }

    private static void NameOf(SfObject o, int length) =>
        Text(o, "Name", length).Also(f => { f.NameField = true; f.Calculated = true; f.Createable = false; f.Updateable = false; f.Label = "Full Name"; });

    private static void ReadOnly(SfField f)
    {
        f.Createable = false;
        f.Updateable = false;
    }

    private static void SystemReadOnly(SfField f)
    {
        ReadOnly(f);
        f.DefaultedOnCreate = true;
        f.Nillable = false;
        f.Length = f.Type == SfType.Reference ? 18 : 0;
    }

    private static void CreateOnlyRequired(SfField f)
    {
        f.Updateable = false;
        f.Nillable = false;
    }
}

internal static class FluentExtensions
{
    public static T Also<T>(this T value, Action<T> configure)
    {
        configure(value);
        return value;
    }
}
