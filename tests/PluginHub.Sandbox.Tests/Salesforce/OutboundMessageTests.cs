using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PluginHub.Sandbox.Tests.Salesforce;

/// <summary>Checklist §10.6: outbound messages reach a listener with the §9.1 SOAP body and are retried until acknowledged.</summary>
public sealed class OutboundMessageTests : SalesforceTestBase
{
    private const string Ack = """<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>""";
    private static readonly XNamespace Out = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace Sf = "urn:sobject.enterprise.soap.sforce.com";

    private readonly ConcurrentQueue<(string Body, string? SoapAction, string? ContentType)> _received = new();
    private WebApplication _listener = null!;
    private int _failuresLeft;
    private Uri _listenerUrl = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _listener = builder.Build();
        _listener.MapPost("/hooks/sf", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            _received.Enqueue((await reader.ReadToEndAsync(), ctx.Request.Headers["SOAPAction"].FirstOrDefault(), ctx.Request.ContentType));
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                ctx.Response.StatusCode = 500; // not acknowledged: the sandbox must retry
                return;
            }

            ctx.Response.ContentType = "text/xml; charset=utf-8";
            await ctx.Response.WriteAsync(Ack);
        });
        await _listener.StartAsync();
        _listenerUrl = new Uri(_listener.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/sf");
    }

    public override async Task DisposeAsync()
    {
        await _listener.StopAsync();
        await _listener.DisposeAsync();
        await base.DisposeAsync();
    }

    private static async Task WaitForAsync(Func<bool> condition, string what) => await WaitForAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task A_change_posts_the_soap_notification_with_the_selected_fields()
    {
        var config = await AdminAsync("outbound-messages", new { @object = "Case", fields = new[] { "CaseNumber", "Status", "Subject", "LastModifiedDate", "Jira_Key__c" }, url = _listenerUrl.ToString(), retryBaseMs = 50 });
        var id = await CreateAsync("Case", new { Subject = "notify me" });

        await WaitForAsync(() => !_received.IsEmpty, "the notification");
        var (body, soapAction, contentType) = _received.First();
        Assert.Equal("\"\"", soapAction);
        Assert.StartsWith("text/xml", contentType, StringComparison.Ordinal);
        Assert.Contains("charset=utf-8", contentType, StringComparison.OrdinalIgnoreCase);

        var doc = XDocument.Parse(body);
        var notifications = doc.Descendants(Out + "notifications").Single();
        Assert.StartsWith("00D", notifications.Element(Out + "OrganizationId")!.Value, StringComparison.Ordinal);
        Assert.Equal(config.GetProperty("id").GetString(), notifications.Element(Out + "ActionId")!.Value);
        Assert.Contains("/services/Soap/u/", notifications.Element(Out + "PartnerUrl")!.Value, StringComparison.Ordinal);
        var notification = notifications.Elements(Out + "Notification").Single();
        Assert.StartsWith("04l", notification.Element(Out + "Id")!.Value, StringComparison.Ordinal);
        var sobject = notification.Element(Out + "sObject")!;
        Assert.Equal("sf:Case", sobject.Attribute(XName.Get("type", "http://www.w3.org/2001/XMLSchema-instance"))!.Value);
        Assert.Equal(id, sobject.Element(Sf + "Id")!.Value);
        Assert.Equal("notify me", sobject.Element(Sf + "Subject")!.Value);
        Assert.Equal("New", sobject.Element(Sf + "Status")!.Value);
        Assert.Matches(@"^\d{8}$", sobject.Element(Sf + "CaseNumber")!.Value);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$", sobject.Element(Sf + "LastModifiedDate")!.Value);
        Assert.Equal("true", sobject.Element(Sf + "Jira_Key__c")!.Attribute(XName.Get("nil", "http://www.w3.org/2001/XMLSchema-instance"))!.Value);
    }

    [Fact]
    public async Task Unacknowledged_notifications_are_retried_with_back_off_until_acknowledged()
    {
        _failuresLeft = 2;
        var id = await CreateAsync("Case", new { Subject = "retry" });
        await AdminAsync("outbound-messages", new { @object = "Case", fields = new[] { "Status" }, url = _listenerUrl.ToString(), retryBaseMs = 100 });
        await PatchAsync($"sobjects/Case/{id}", new { Status = "Working" });

        using var anon = new HttpClient { BaseAddress = BaseUrl };
        await WaitForAsync(async () => _received.Count >= 3 && (await anon.GetStringAsync(U("/_sandbox/outbound-messages"))).Contains("\"pending\":0", StringComparison.Ordinal), "delivery after two failures");
        var bodies = _received.Select(r => r.Body).ToList();
        Assert.Equal(3, bodies.Count);

        // The same notification id is re-sent on every retry.
        var ids = bodies.Select(b => XDocument.Parse(b).Descendants(Out + "Notification").Single().Element(Out + "Id")!.Value).ToList();
        Assert.All(ids, n => Assert.Equal(ids[0], n));
        Assert.All(bodies, b => Assert.Contains("<sf:Status>Working</sf:Status>", b, StringComparison.Ordinal));
        var stats = System.Text.Json.JsonDocument.Parse(await anon.GetStringAsync(U("/_sandbox/outbound-messages"))).RootElement[0];
        Assert.Equal(1, stats.GetProperty("delivered").GetInt32());
        Assert.Equal(3, stats.GetProperty("attempts").GetInt32());
        await Task.Delay(300);
        Assert.Equal(3, _received.Count); // acknowledged: nothing more is sent
    }

    [Fact]
    public async Task Other_objects_and_filtered_out_records_are_not_sent()
    {
        await AdminAsync("outbound-messages", new { @object = "Case", fields = new[] { "Status" }, url = _listenerUrl.ToString(), filterField = "Priority", filterValue = "High", retryBaseMs = 50 });
        await CreateAsync("Account", new { Name = "no" });
        await CreateAsync("Case", new { Subject = "low", Priority = "Low" });
        var high = await CreateAsync("Case", new { Subject = "high", Priority = "High" });

        await WaitForAsync(() => !_received.IsEmpty, "the notification");
        await Task.Delay(200);
        var all = string.Concat(_received.Select(r => r.Body));
        Assert.Contains(high, all, StringComparison.Ordinal);
        Assert.Single(XDocument.Parse(_received.First().Body).Descendants(Out + "Notification"));
        Assert.Equal(HttpStatusCode.NoContent, (await new HttpClient { BaseAddress = BaseUrl }.DeleteAsync(U("/_sandbox/outbound-messages"))).StatusCode);
    }

    [Fact]
    public async Task Notifications_never_acknowledged_are_dropped_after_the_configured_window()
    {
        _failuresLeft = int.MaxValue;
        await AdminAsync("outbound-messages", new { @object = "Case", fields = new[] { "Status" }, url = _listenerUrl.ToString(), retryBaseMs = 50, ttlSeconds = 1 });
        await CreateAsync("Case", new { Subject = "doomed" });

        using var anon = new HttpClient { BaseAddress = BaseUrl };
        await WaitForAsync(async () => (await anon.GetStringAsync(U("/_sandbox/outbound-messages"))).Contains("\"dropped\":1", StringComparison.Ordinal), "the drop");
        Assert.True(_received.Count >= 2, "retried before being dropped");
        var count = _received.Count;
        await Task.Delay(300);
        Assert.Equal(count, _received.Count);
    }

    [Fact]
    public async Task At_most_100_notifications_travel_in_one_message()
    {
        await AdminAsync("outbound-messages", new { @object = "Case", fields = new[] { "Subject" }, url = _listenerUrl.ToString(), retryBaseMs = 50 });
        var records = Enumerable.Range(0, 150).Select(i => new { attributes = new { type = "Case" }, Subject = $"bulk {i}" }).ToArray();
        var (status, _, _) = await PostAsync("composite/sobjects", new { allOrNone = true, records });
        Assert.Equal(HttpStatusCode.OK, status);

        await WaitForAsync(() => _received.Sum(r => XDocument.Parse(r.Body).Descendants(Out + "Notification").Count()) >= 150, "150 notifications");
        var sizes = _received.Select(r => XDocument.Parse(r.Body).Descendants(Out + "Notification").Count()).ToList();
        Assert.All(sizes, n => Assert.InRange(n, 1, 100));

        // How the 150 split depends on when the dispatcher wakes (54 + 96 on a loaded machine): notifications travel together, never over 100.
        Assert.True(sizes.Count < 150 && sizes.Max() > 1, $"notifications travel together: {string.Join(", ", sizes)}");
        var ids = _received.SelectMany(r => XDocument.Parse(r.Body).Descendants(Out + "Notification").Select(n => n.Element(Out + "Id")!.Value)).ToList();
        Assert.Equal(150, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Duplicate_deliveries_resend_acknowledged_notifications_with_the_same_id()
    {
        await AdminAsync("outbound-messages", new { @object = "Case", fields = new[] { "Subject" }, url = _listenerUrl.ToString(), retryBaseMs = 50, duplicateDeliveries = true });
        await CreateAsync("Case", new { Subject = "twice" });

        await WaitForAsync(() => _received.Count >= 2, "the duplicate");
        var ids = _received.Select(r => XDocument.Parse(r.Body).Descendants(Out + "Notification").Single().Element(Out + "Id")!.Value).ToList();
        Assert.Equal(ids[0], ids[1]);
        await Task.Delay(300);
        Assert.Equal(2, _received.Count);
    }
}
