using Bogus;

namespace PluginHub.Sandbox.Jira.Model;

/// <summary>
/// Deterministic sample data with Bogus: the same seed gives the same issues, comments and attachments in project SUP
/// (times are relative to the sandbox clock). Callers hold the gate.
/// </summary>
internal static class JiraSeeder
{
    public const int DefaultIssueCount = 25;

    private static readonly string[] LabelPool = ["customer", "sf-case", "billing", "login", "mobile", "urgent", "regression", "docs"];

    public static void Seed(JiraStore store, int seed, int issueCount = DefaultIssueCount)
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        var now = store.NowMs();
        var project = store.Projects[0];
        var span = Math.Max(issueCount, 1) * 60_000L * 7; // spread creations over time so "updated" ranges mean something
        var start = now - span - 86_400_000L;
        var withComments = issueCount <= 1000;
        // Bogus' text generators are slow; large seeds draw from a deterministic pool instead.
        var summaries = Enumerable.Range(0, Math.Min(issueCount, 500)).Select(_ => faker.Hacker.Phrase().TrimEnd('!', '.')).ToArray();
        var descriptions = Enumerable.Range(0, Math.Min(issueCount, 200)).Select(_ => RichText.FromWiki(faker.Lorem.Paragraphs(faker.Random.Int(1, 2), "\n\n"))).ToArray();
        for (var n = 0; n < issueCount; n++)
        {
            var type = faker.PickRandom(store.IssueTypes.Where(t => t.Id is 10001 or 10002).ToList());
            var created = start + (n * span / Math.Max(issueCount, 1));
            var updated = created + faker.Random.Long(0, 3_600_000L);
            var status = faker.PickRandom(type.Workflow.StatusIds.ToList());
            var number = store.ClaimNextIssueNumber(project.Id);
            var issue = new JiraIssue
            {
                Id = store.NextIssueId(),
                ProjectId = project.Id,
                Number = number,
                Key = $"{project.Key}-{number}",
                IssueTypeId = type.Id,
                StatusId = status,
                PriorityId = faker.Random.Int(1, 5),
                Summary = summaries[faker.Random.Int(0, summaries.Length - 1)],
                Description = descriptions[faker.Random.Int(0, descriptions.Length - 1)],
                Labels = faker.Random.Bool(0.6f) ? faker.PickRandom(LabelPool, faker.Random.Int(1, 2)).Distinct().ToArray() : [],
                AssigneeIndex = faker.Random.Bool(0.7f) ? faker.Random.Int(0, store.Users.Count - 1) : -1,
                ReporterIndex = faker.Random.Int(0, store.Users.Count - 1),
                CreatorIndex = 0,
                Created = created,
                Updated = Math.Min(updated, now),
                StatusCategoryChanged = created,
            };
            if (store.Statuses[status].Category == StatusCategory.Done)
            {
                issue.ResolutionId = 10000;
                issue.ResolutionDate = issue.Updated;
            }

            if (faker.Random.Bool(0.5f))
            {
                issue.Custom = new Dictionary<int, object> { [10042] = "500" + faker.Random.ReplaceNumbers("XX00000######") };
            }

            if (withComments)
            {
                var comments = faker.Random.Int(0, 3);
                for (var c = 0; c < comments; c++)
                {
                    var at = created + faker.Random.Long(0, Math.Max(1, issue.Updated - created));
                    var comment = new JiraComment
                    {
                        Id = store.NextCommentId(),
                        AuthorIndex = faker.Random.Int(0, store.Users.Count - 1),
                        Body = RichText.FromWiki(faker.Lorem.Sentence()),
                        Created = at,
                        Updated = at,
                    };
                    comment.UpdateAuthorIndex = comment.AuthorIndex;
                    (issue.Comments ??= []).Add(comment);
                    store.CommentIssue[comment.Id] = issue.Id;
                }

                if (faker.Random.Bool(0.3f))
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(faker.Lorem.Paragraph());
                    var attachment = new JiraAttachment(store.NextAttachmentId(), issue.Id, faker.System.FileName("txt"), issue.ReporterIndex, created, "text/plain", bytes);
                    store.Attachments[attachment.Id] = attachment;
                    issue.AttachmentIds = [attachment.Id];
                }
            }

            store.AddIssue(issue);
        }
    }
}
