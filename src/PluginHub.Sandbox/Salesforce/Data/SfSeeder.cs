using Bogus;

namespace PluginHub.Sandbox.Salesforce.Data;

/// <summary>How many records a seed creates (the defaults make a small, browsable org).</summary>
internal sealed record SeedCounts(int Users = 6, int Accounts = 15, int Contacts = 30, int Cases = 50);

/// <summary>Deterministic demo data with Bogus: the same seed number gives the same users, accounts, contacts, cases, comments and files.</summary>
internal static class SfSeeder
{
    public static void Seed(SfOrg org, int seed, SeedCounts? counts = null)
    {
        counts ??= new SeedCounts();
        var faker = new Faker { Random = new Randomizer(seed) };
        var now = org.Now();
        var userType = org.Object("User")!;
        var users = new List<string> { org.IntegrationUserId, org.AgentUserId };
        var existing = org.Table(userType).ById.Count; // seeding twice adds users: keep usernames unique
        for (var i = 0; i < counts.Users; i++)
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            var username = $"{first}.{last}.{existing + i}@pluginhub.test".ToLowerInvariant().Replace(' ', '-').Replace('\'', '-');
            var values = SfOrg.UserValues(username, first, last, (first[..1] + last).ToLowerInvariant()[..Math.Min(8, last.Length + 1)]);
            values["Title"] = faker.Name.JobTitle();
            users.Add(Insert(org, userType, values, org.IntegrationUserId, now.AddDays(-60)).Id);
        }

        var accountType = org.Object("Account")!;
        var industries = accountType["Industry"].Picklist.Select(p => p.Value).ToArray();
        var accounts = new List<string>();
        for (var i = 0; i < counts.Accounts; i++)
        {
            accounts.Add(Insert(org, accountType, new()
            {
                ["Name"] = faker.Company.CompanyName(),
                ["Industry"] = faker.PickRandom(industries),
                ["Phone"] = faker.Phone.PhoneNumber("+1 ###-###-####"),
                ["Website"] = "https://" + faker.Internet.DomainName(),
                ["BillingCity"] = faker.Address.City(),
                ["BillingCountry"] = faker.Address.Country(),
                ["NumberOfEmployees"] = (decimal)faker.Random.Int(5, 5000),
            }, faker.PickRandom(users), now.AddDays(-50 + faker.Random.Int(0, 10))).Id);
        }

        var contactType = org.Object("Contact")!;
        var contacts = new List<(string Id, string Account)>();
        for (var i = 0; i < counts.Contacts; i++)
        {
            var account = faker.PickRandom(accounts);
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            contacts.Add((Insert(org, contactType, new()
            {
                ["FirstName"] = first,
                ["LastName"] = last,
                ["Email"] = faker.Internet.Email(first, last, "example.com").ToLowerInvariant(),
                ["Phone"] = faker.Phone.PhoneNumber("+1 ###-###-####"),
                ["Title"] = faker.Name.JobTitle(),
                ["AccountId"] = account,
            }, faker.PickRandom(users), now.AddDays(-40 + faker.Random.Int(0, 10))).Id, account));
        }

        var caseType = org.Object("Case")!;
        var commentType = org.Object("CaseComment")!;
        var attachmentType = org.Object("Attachment")!;
        var versionType = org.Object("ContentVersion")!;
        var statuses = StandardObjects.CaseStatuses;
        for (var i = 0; i < counts.Cases; i++)
        {
            var contact = contacts.Count > 0 ? faker.PickRandom(contacts) : default;
            var created = now.AddMinutes(-faker.Random.Int(60, 30 * 24 * 60));
            var owner = faker.PickRandom(users);
            var bulk = counts.Cases > 1000; // bulk seeds (benchmarks) stay lean: short cases, no comments or files
            var c = Insert(org, caseType, new()
            {
                ["Subject"] = bulk ? $"Case {i}: {faker.Hacker.Noun()} {faker.Hacker.Verb()}" : faker.Hacker.Phrase().ClampTo(255),
                ["Description"] = bulk ? null : faker.Lorem.Paragraph(),
                ["Status"] = faker.PickRandom(statuses),
                ["Priority"] = faker.PickRandom("High", "Medium", "Low"),
                ["Origin"] = faker.PickRandom("Phone", "Email", "Web"),
                ["Type"] = faker.PickRandom("Mechanical", "Electrical", "Electronic", "Structural", "Other"),
                ["ContactId"] = contact.Id,
                ["AccountId"] = contact.Account,
                ["OwnerId"] = owner,
            }, owner, created);
            if (bulk)
            {
                continue;
            }

            for (var k = faker.Random.Int(0, 3); k > 0; k--)
            {
                Insert(org, commentType, new() { ["ParentId"] = c.Id, ["CommentBody"] = faker.Lorem.Sentence(), ["IsPublished"] = faker.Random.Bool() }, faker.PickRandom(users), created.AddMinutes(faker.Random.Int(1, 600)));
            }

            if (faker.Random.Int(0, 3) == 0)
            {
                var name = faker.System.FileName("txt");
                Insert(org, attachmentType, new() { ["ParentId"] = c.Id, ["Name"] = name, ["ContentType"] = "text/plain", ["Body"] = System.Text.Encoding.UTF8.GetBytes(faker.Lorem.Sentences(2)) }, owner, created.AddMinutes(5));
            }

            if (faker.Random.Int(0, 3) == 0)
            {
                var name = faker.System.FileName("txt");
                Insert(org, versionType, new() { ["PathOnClient"] = name, ["VersionData"] = System.Text.Encoding.UTF8.GetBytes(faker.Lorem.Sentences(3)), ["FirstPublishLocationId"] = c.Id }, owner, created.AddMinutes(7));
            }
        }
    }

    private static string ClampTo(this string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>Inserts through the normal pipeline, then moves the audit stamps back in time (seeded history).</summary>
    private static SfRecord Insert(SfOrg org, SfObject type, Dictionary<string, object?> values, string userId, DateTime when)
    {
        var r = org.Insert(type, values.Where(p => p.Value is not null).ToDictionary(p => type[p.Key], p => p.Value), userId, null);
        var table = org.Table(type);
        table.Unindex(r);
        foreach (var name in new[] { "CreatedDate", "LastModifiedDate", "SystemModstamp" })
        {
            if (type.Field(name) is { } f)
            {
                r[f] = when;
            }
        }

        if (type.Name == "Case" && r.Get("IsClosed") is true)
        {
            r.Set("ClosedDate", when);
        }

        table.Index(r);
        return r;
    }
}
