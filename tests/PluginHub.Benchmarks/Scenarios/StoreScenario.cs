using System.Diagnostics;
using System.Text.Json.Nodes;
using PluginHub.Core.Sync;

namespace PluginHub.Benchmarks.Scenarios;

/// <summary>
/// <c>store [--records 10000]</c>: the link store alone (SQLite), as the engine uses it per page of 2,000: save new links with both
/// sides' field hashes, find them again, save them again (updates), list the linked ids. Shows whether the store bounds a sync.
/// </summary>
internal static class StoreScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = SyncOptions.Parse(args, 10_000);
        await using var h = await SyncBench.StartAsync(options);
        var integration = await SyncBench.CreateIntegrationAsync(h);
        var hashes = Enumerable.Range(0, 5).ToDictionary(i => $"field{i}", i => Convert.ToBase64String(new byte[32]));
        var links = Enumerable.Range(0, options.Records)
            .Select(i => new Link(LinkKind.Record, $"500{i:D15}", $"{10_000 + i}") { CorrelationId = $"Case-{i:D8}", Source = new SideState("v1", hashes), Target = new SideState("v1", hashes) })
            .ToList();
        var timings = new JsonObject();

        // Warm up EF (model, query compilation) outside the figures.
        await h.State.SaveLinksAsync(integration.Id, [new Link(LinkKind.Attachment, "warm", "up")], CancellationToken.None);
        await h.State.FindLinksAsync(integration.Id, LinkKind.Attachment, Side.Source, ["warm"], CancellationToken.None);
        async Task TimeAsync(string name, Func<IReadOnlyList<Link>, Task> step)
        {
            var clock = Stopwatch.StartNew();
            foreach (var page in links.Chunk(2_000))
            {
                await step(page);
            }

            timings[name] = Math.Round(options.Records / clock.Elapsed.TotalSeconds);
            Console.WriteLine($"{name}: {options.Records / clock.Elapsed.TotalSeconds:N0} links/s");
        }

        await TimeAsync("insertPerSecond", page => h.State.SaveLinksAsync(integration.Id, page.ToList(), CancellationToken.None));
        await TimeAsync("findPerSecond", page => h.State.FindLinksAsync(integration.Id, LinkKind.Record, Side.Source, [.. page.Select(l => l.SourceId)], CancellationToken.None));
        await TimeAsync("updatePerSecond", page => h.State.SaveLinksAsync(integration.Id, page.ToList(), CancellationToken.None));
        // Comment and file copies save their link one at a time: one transaction (and one commit) each.
        var singles = Stopwatch.StartNew();
        for (var i = 0; i < 500; i++)
        {
            await h.State.SaveLinksAsync(integration.Id, [new Link(LinkKind.Comment, $"00a{i:D15}", $"{20_000 + i}")], CancellationToken.None);
        }

        timings["singleSavesPerSecond"] = Math.Round(500 / singles.Elapsed.TotalSeconds);
        Console.WriteLine($"single-link saves: {500 / singles.Elapsed.TotalSeconds:N0} per second");
        var list = Stopwatch.StartNew();
        var ids = await h.State.ListLinkedIdsAsync(integration.Id, LinkKind.Record, Side.Source, CancellationToken.None);
        timings["listSeconds"] = Math.Round(list.Elapsed.TotalSeconds, 3);
        Console.WriteLine($"list {ids.Count:N0} linked ids: {list.Elapsed.TotalMilliseconds:N0} ms");
        Console.WriteLine(new JsonObject { ["scenario"] = "store", ["records"] = options.Records, ["timings"] = timings }.ToJsonString());
        return 0;
    }
}
