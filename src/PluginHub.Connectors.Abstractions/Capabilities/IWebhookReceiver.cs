namespace PluginHub.Connectors.Abstractions;

/// <summary>Registers push notifications and turns deliveries into change notices. Capability <c>webhooks</c>.</summary>
/// <remarks>Events only make sync faster; the host still polls, so a lost delivery never loses a change.</remarks>
public interface IWebhookReceiver
{
    /// <summary>
    /// Makes sure the remote system delivers changes of the registration's entity to its URL. Idempotent: finds an existing
    /// registration by URL or name and updates it instead of adding a second one (also after a restart of the host).
    /// </summary>
    /// <param name="registration">What to register.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome; <see cref="WebhookRegistrationResult.ManualSetup"/> says what an admin must do when the API cannot register it.</returns>
    Task<WebhookRegistrationResult> EnsureRegisteredAsync(WebhookRegistration registration, CancellationToken cancellationToken);

    /// <summary>Removes the registration if it exists; succeeds when it does not.</summary>
    /// <param name="registration">The registration, as given to <see cref="EnsureRegisteredAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RemoveRegistrationAsync(WebhookRegistration registration, CancellationToken cancellationToken);

    /// <summary>
    /// Verifies a delivery (signature, organisation id) and parses it into change notices. Does no I/O. A delivery that fails
    /// verification is returned with <see cref="WebhookParseResult.Accepted"/> false and no notices; it must not throw for it.
    /// </summary>
    /// <param name="request">The raw request as received.</param>
    /// <param name="verification">The secrets and expectations to verify against.</param>
    WebhookParseResult Parse(WebhookRequest request, WebhookVerification verification);
}

/// <summary>A push registration for one integration.</summary>
public sealed record WebhookRegistration
{
    /// <summary>A stable name that identifies PluginHub's registration for this integration.</summary>
    public required string Name { get; init; }

    /// <summary>The absolute URL deliveries are posted to.</summary>
    public required Uri Url { get; init; }

    /// <summary>The entity whose changes are wanted.</summary>
    public required string Entity { get; init; }

    /// <summary>Container scope, e.g. <c>{"project": "SUP"}</c>; null for none.</summary>
    public IReadOnlyDictionary<string, string>? Scope { get; init; }

    /// <summary>The secret used to sign deliveries, where the system supports signing; null otherwise.</summary>
    public string? Secret { get; init; }
}

/// <summary>The outcome of <see cref="IWebhookReceiver.EnsureRegisteredAsync"/>.</summary>
public sealed record WebhookRegistrationResult
{
    /// <summary>The remote id of the registration; null when it must be set up by hand.</summary>
    public string? RemoteId { get; init; }

    /// <summary>True when this call created it, false when it existed already (possibly updated).</summary>
    public bool Created { get; init; }

    /// <summary>Instructions for an admin when the remote API cannot register deliveries itself; null otherwise.</summary>
    public string? ManualSetup { get; init; }

    /// <summary>
    /// What genuine deliveries for this registration carry, to be passed back as <see cref="WebhookVerification.Expected"/>
    /// (the Salesforce organisation id); empty when the secret alone verifies them. Since contract 1.1.
    /// </summary>
    public IReadOnlyDictionary<string, string> Expected { get; init; } = new Dictionary<string, string>();
}

/// <summary>A raw delivery as the host received it.</summary>
public sealed record WebhookRequest
{
    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The headers; names compare case-insensitively.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The body bytes exactly as received (signatures are computed over them).</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }
}

/// <summary>What a delivery is verified against.</summary>
public sealed record WebhookVerification
{
    /// <summary>The shared secret for signatures; null when the system does not sign.</summary>
    public string? Secret { get; init; }

    /// <summary>Other expected values, e.g. <c>{"organizationId": "00D…"}</c> for Salesforce outbound messages.</summary>
    public IReadOnlyDictionary<string, string> Expected { get; init; } = new Dictionary<string, string>();
}

/// <summary>The parsed delivery.</summary>
public sealed record WebhookParseResult
{
    /// <summary>False when the delivery failed verification; the host answers 401 and ignores it.</summary>
    public required bool Accepted { get; init; }

    /// <summary>Why it was rejected; null when accepted.</summary>
    public string? RejectionReason { get; init; }

    /// <summary>The delivery's unique id for deduplication (<c>X-Atlassian-Webhook-Identifier</c>, a notification id); null when it has none.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>The records that changed: ids only, never field values.</summary>
    public IReadOnlyList<ChangeNotice> Notices { get; init; } = [];

    /// <summary>The response the remote system expects (Salesforce's SOAP acknowledgement); null for a plain 204.</summary>
    public WebhookResponse? Acknowledgement { get; init; }
}

/// <summary>"This record changed": an id to re-read, never a payload.</summary>
/// <param name="Record">The changed record.</param>
/// <param name="Deleted">True when the record was deleted.</param>
public sealed record ChangeNotice(RecordRef Record, bool Deleted = false)
{
    /// <summary>Who made the change, when the delivery says.</summary>
    public UserRef? ActingUser { get; init; }
}

/// <summary>An HTTP response to send back to the remote system.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="ContentType">The content type of <paramref name="Body"/>.</param>
/// <param name="Body">The body text.</param>
public sealed record WebhookResponse(int StatusCode, string ContentType, string Body);
