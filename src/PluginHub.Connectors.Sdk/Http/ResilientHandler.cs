using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PluginHub.Connectors.Sdk.Http;

/// <summary>
/// Retries transient failures with exponential back-off and jitter, honouring Retry-After, and counts every attempt.
/// Which requests are retried: 429 and 503 for any method (the server refused the request, so it did nothing);
/// 408, 500, 502, 504, connection errors and attempt timeouts only for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE),
/// because a POST may have been applied before the failure; plus whatever <see cref="ConnectorHttpOptions.IsTransient"/> says.
/// A request whose body cannot be sent twice (a stream) is never retried.
/// </summary>
internal sealed class ResilientHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("pluginhub.request");
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ConnectorHttpOptions _options;
    private long _attempts;
    private long _retries;

    public ResilientHandler(ConnectorHttpOptions options)
    {
        _options = options;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.Time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ShouldRetryAsync(args.Context, args.Outcome),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? RetryAfter.From(r, options.Time) : null),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref _retries);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>Requests sent to the remote system, retries included.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Retries made.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                async (ctx, state) =>
                {
                    Interlocked.Increment(ref state._attempts);
                    try
                    {
                        return Outcome.FromResult(await state.SendOnceAsync(request, ctx.CancellationToken));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                this);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private async ValueTask<bool> ShouldRetryAsync(ResilienceContext context, Outcome<HttpResponseMessage> outcome)
    {
        if (!context.Properties.TryGetValue(RequestKey, out var request) || !CanResend(request))
        {
            return false;
        }

        var idempotent = IsIdempotent(request.Method);
        if (outcome.Exception is { } ex)
        {
            return idempotent && ex is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        if (RetryAfter.From(response, _options.Time) > _options.MaxRetryAfter)
        {
            return false; // the caller reports it as Transient with the wait, instead of blocking for minutes
        }

        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => true,
            HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => idempotent,
            _ when !response.IsSuccessStatusCode && _options.IsTransient is { } isTransient => await isTransient(response),
            _ => false,
        };
    }

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Put || method == HttpMethod.Delete;

    /// <summary>Byte and string bodies can be sent again; streams cannot.</summary>
    private static bool CanResend(HttpRequestMessage request) => request.Content is null or ByteArrayContent or ReadOnlyMemoryContent;
}
