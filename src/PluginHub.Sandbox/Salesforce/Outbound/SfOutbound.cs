using System.Globalization;
using System.Security;
using System.Text;
using PluginHub.Sandbox.Salesforce.Data;

namespace PluginHub.Sandbox.Salesforce.Outbound;

/// <summary>An outbound-message action: records of one object (optionally only where a field has a value) go to a listener.</summary>
internal sealed class OutboundConfig
{
    public required string Id { get; init; }

    public required string ObjectName { get; init; }

    public required IReadOnlyList<string> Fields { get; init; }

    public required Uri Url { get; init; }

    public required string BaseUrl { get; init; }

    public string? FilterField { get; init; }

    public string? FilterValue { get; init; }

    /// <summary>First retry delay; it doubles per failure up to <see cref="MaxDelay"/> (real Salesforce: seconds to 2 h; compressed for tests).</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Undelivered notifications are dropped after this window (24 h in Salesforce).</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Delivery is at-least-once: when set, every acknowledged notification is sent once more (same notification Id).</summary>
    public bool DuplicateDeliveries { get; init; }

    public List<Pending> Queue { get; } = [];

    public int Attempts { get; set; }

    public int Delivered { get; set; }

    public int Dropped { get; set; }
}

internal sealed class Pending(string notificationId, string recordId, DateTimeOffset queued)
{
    public string NotificationId { get; } = notificationId;

    public string RecordId { get; } = recordId;

    public DateTimeOffset Queued { get; } = queued;

    public int Failures { get; set; }

    public DateTimeOffset Due { get; set; } = queued;

    public bool Duplicated { get; set; }
}

/// <summary>
/// Sends the SOAP notifications of reference §9.1 when matching records are created or updated: at most 100 per message,
/// field values as they are when sent, success only on HTTP 200 with <c>&lt;Ack&gt;true&lt;/Ack&gt;</c>, else retried with back-off.
/// </summary>
internal sealed class SfOutbound
{
    public const string ClientName = "salesforce-outbound";

    private readonly SfOrg _org;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly List<OutboundConfig> _configs = [];
    private readonly Lock _gate = new();
    private long _ids;

    public SfOutbound(SfOrg org, IHttpClientFactory http, TimeProvider time)
    {
        _org = org;
        _http = http;
        _time = time;
        _org.Saved += OnSaved;
    }

    public OutboundConfig Add(Func<string, OutboundConfig> create)
    {
        lock (_gate)
        {
            var config = create(SfId.Make("04k", ++_ids));
            _configs.Add(config);
            return config;
        }
    }

    public IReadOnlyList<OutboundConfig> Configs
    {
        get
        {
            lock (_gate)
            {
                return [.. _configs];
            }
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _configs.Clear();
        }
    }

    public void Start(CancellationToken stopping) => _ = Task.Run(() => LoopAsync(stopping), CancellationToken.None);

    private void OnSaved(SfRecord record, bool created)
    {
        lock (_gate)
        {
            foreach (var c in _configs)
            {
                if (!c.ObjectName.Equals(record.Type.Name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (c.FilterField is not null && !string.Equals(Convert.ToString(record.Get(c.FilterField), CultureInfo.InvariantCulture), c.FilterValue, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                c.Queue.Add(new Pending(SfId.Make("04l", ++_ids), record.Id, _time.GetUtcNow()));
            }
        }
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, stopping);
                foreach (var config in Configs)
                {
                    await DeliverAsync(config, stopping);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(OutboundConfig config, CancellationToken stopping)
    {
        var now = _time.GetUtcNow();
        List<Pending> batch;
        lock (_gate)
        {
            config.Dropped += config.Queue.RemoveAll(p => now - p.Queued > config.Ttl);
            batch = config.Queue.Where(p => p.Due <= now).Take(100).ToList();
        }

        if (batch.Count == 0)
        {
            return;
        }

        var envelope = Envelope(config, batch);
        var ok = envelope is null || await PostAsync(config.Url, envelope, stopping); // null: every record is gone, nothing to say

        lock (_gate)
        {
            config.Attempts++;
            if (ok)
            {
                config.Delivered += batch.Count;
                foreach (var p in batch)
                {
                    if (config.DuplicateDeliveries && !p.Duplicated)
                    {
                        p.Duplicated = true; // stays queued: the listener must de-duplicate on the notification Id
                    }
                    else
                    {
                        config.Queue.Remove(p);
                    }
                }

                return;
            }

            foreach (var p in batch)
            {
                p.Failures++;
                var delay = TimeSpan.FromTicks(Math.Min(config.MaxDelay.Ticks, config.RetryBase.Ticks * (1L << Math.Min(20, p.Failures - 1))));
                p.Due = _time.GetUtcNow() + delay;
            }
        }
    }

    /// <summary>True only for HTTP 200 with the acknowledgement; anything else (status, body, timeout, refused) is a failure.</summary>
    private async Task<bool> PostAsync(Uri url, string envelope, CancellationToken stopping)
    {
        try
        {
            using var client = _http.CreateClient(ClientName);
            client.Timeout = TimeSpan.FromSeconds(30);
            using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
            content.Headers.ContentType!.CharSet = "utf-8";
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.TryAddWithoutValidation("SOAPAction", "\"\"");
            using var response = await client.SendAsync(request, stopping);
            var body = await response.Content.ReadAsStringAsync(stopping);
            return (int)response.StatusCode == 200 && body.Contains("<Ack>true</Ack>", StringComparison.OrdinalIgnoreCase);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private string? Envelope(OutboundConfig config, List<Pending> batch)
    {
        var rendered = 0;
        var sb = new StringBuilder();
        var org15 = _org.OrgId[..15];
        sb.Append("""<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">""");
        sb.Append(CultureInfo.InvariantCulture, $"<OrganizationId>{_org.OrgId}</OrganizationId><ActionId>{config.Id}</ActionId><SessionId xsi:nil=\"true\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<EnterpriseUrl>{config.BaseUrl}/services/Soap/c/{Endpoints.SfVersions.Latest}.0/{org15}</EnterpriseUrl><PartnerUrl>{config.BaseUrl}/services/Soap/u/{Endpoints.SfVersions.Latest}.0/{org15}</PartnerUrl>");
        lock (_org.Gate)
        {
            foreach (var p in batch)
            {
                if (_org.Find(p.RecordId) is not { } r)
                {
                    continue;
                }

                rendered++;
                sb.Append(CultureInfo.InvariantCulture, $"<Notification><Id>{p.NotificationId}</Id><sObject xsi:type=\"sf:{r.Type.Name}\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">");
                sb.Append(CultureInfo.InvariantCulture, $"<sf:Id>{r.Id}</sf:Id>");
                foreach (var name in config.Fields)
                {
                    if (r.Type.Field(name) is not { } f || f.Name == "Id")
                    {
                        continue;
                    }

                    var v = r[f];
                    var text = v switch
                    {
                        null => null,
                        bool b => b ? "true" : "false",
                        DateTime dt => dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                        DateOnly d => SfTime.FormatDate(d),
                        byte[] bytes => Convert.ToBase64String(bytes),
                        decimal m => m.ToString(CultureInfo.InvariantCulture),
                        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
                    };
                    sb.Append(text is null ? $"<sf:{f.Name} xsi:nil=\"true\"/>" : $"<sf:{f.Name}>{SecurityElement.Escape(text)}</sf:{f.Name}>");
                }

                sb.Append("</sObject></Notification>");
            }
        }

        sb.Append("</notifications></soapenv:Body></soapenv:Envelope>");
        return rendered == 0 ? null : sb.ToString();
    }
}
