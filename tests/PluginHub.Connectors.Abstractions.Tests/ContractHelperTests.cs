namespace PluginHub.Connectors.Abstractions.Tests;

public sealed class ContractHelperTests
{
    [Fact]
    public void ContractVersion_Current_is_major_dot_minor()
    {
        Assert.Equal(ContractVersion.Current, $"{ContractVersion.Major}.{ContractVersion.Minor}");
    }

    [Fact]
    public void Capabilities_All_maps_each_name_to_its_interface()
    {
        Assert.Equal(
            new Dictionary<string, Type>
            {
                ["readChanges"] = typeof(IChangeReader),
                ["readById"] = typeof(IRecordReader),
                ["write"] = typeof(IRecordWriter),
                ["comments"] = typeof(ICommentStore),
                ["attachments"] = typeof(IAttachmentStore),
                ["webhooks"] = typeof(IWebhookReceiver),
                ["activityFeed"] = typeof(IActivityFeed),
            }.OrderBy(p => p.Key, StringComparer.Ordinal),
            ConnectorCapabilities.All.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(
            ["readChanges", "readById", "write", "comments", "attachments", "webhooks", "activityFeed"],
            new[]
            {
                ConnectorCapabilities.ReadChanges, ConnectorCapabilities.ReadById, ConnectorCapabilities.Write,
                ConnectorCapabilities.Comments, ConnectorCapabilities.Attachments, ConnectorCapabilities.Webhooks, ConnectorCapabilities.ActivityFeed,
            });
        Assert.False(ConnectorCapabilities.All.ContainsKey("ReadChanges"));
    }

    [Fact]
    public void ImplementedBy_lists_nothing_for_the_bare_core()
    {
        Assert.Empty(ConnectorCapabilities.ImplementedBy(typeof(IConnector)));
    }

    [Fact]
    public void ImplementedBy_lists_the_implemented_capabilities_in_ordinal_order()
    {
        Assert.Equal(["readById", "write"], ConnectorCapabilities.ImplementedBy(typeof(IReadWriteConnector)));
    }

    [Fact]
    public void ImplementedBy_lists_every_capability_of_a_full_connector()
    {
        Assert.Equal(
            ["attachments", "comments", "readById", "readChanges", "webhooks", "write"],
            ConnectorCapabilities.ImplementedBy(typeof(IFullConnector)));
    }

    [Fact]
    public void ImplementedBy_sees_capabilities_inherited_from_a_base_class()
    {
        Assert.Equal(["readById", "write"], ConnectorCapabilities.ImplementedBy(typeof(DerivedConnector)));
    }

    [Fact]
    public void ImplementedBy_rejects_null()
    {
        Assert.Throws<ArgumentNullException>(() => ConnectorCapabilities.ImplementedBy(null!));
    }

    [Fact]
    public void CheckResult_Ok_is_healthy_without_a_failure_kind()
    {
        var result = CheckResult.Ok("Connected as ann@example.com");

        Assert.True(result.Healthy);
        Assert.Null(result.FailureKind);
        Assert.Equal("Connected as ann@example.com", result.Message);
        Assert.Null(CheckResult.Ok().Message);
    }

    [Fact]
    public void CheckResult_Failed_carries_the_kind_and_reason()
    {
        var result = CheckResult.Failed(FailureKind.Transient, "Unreachable");

        Assert.False(result.Healthy);
        Assert.Equal(FailureKind.Transient, result.FailureKind);
        Assert.Equal("Unreachable", result.Message);
    }

    [Fact]
    public void WriteResult_Success_has_the_record_and_no_error()
    {
        var record = new RecordRef("Case", "500xx");

        var result = WriteResult.Success(record, created: true);

        Assert.True(result.Succeeded);
        Assert.Same(record, result.Record);
        Assert.True(result.Created);
        Assert.Null(result.Error);
        Assert.Empty(result.RejectedFields);
        Assert.False(WriteResult.Success(record, created: false).Created);
    }

    [Fact]
    public void WriteResult_Failure_has_the_error_and_no_record()
    {
        var result = WriteResult.Failure(FailureKind.Configuration, "Required field missing: Subject", "REQUIRED_FIELD_MISSING");

        Assert.False(result.Succeeded);
        Assert.Null(result.Record);
        Assert.False(result.Created);
        var error = Assert.IsType<WriteError>(result.Error);
        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Equal("Required field missing: Subject", error.Message);
        Assert.Equal("REQUIRED_FIELD_MISSING", error.RemoteCode);
        Assert.Empty(error.Fields);
        Assert.Null(WriteResult.Failure(FailureKind.Internal, "x").Error!.RemoteCode);
    }

    [Fact]
    public void ConnectorException_keeps_its_kind_and_details()
    {
        var inner = new TimeoutException("slow");

        var error = new ConnectorException(FailureKind.Transient, "Rate limited", inner) { RetryAfter = TimeSpan.FromSeconds(30), RemoteCode = "429" };

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal("Rate limited", error.Message);
        Assert.Same(inner, error.InnerException);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal("429", error.RemoteCode);
    }

    public interface IReadWriteConnector : IConnector, IRecordWriter, IRecordReader;

    public interface IFullConnector : IConnector, IChangeReader, IRecordReader, IRecordWriter, ICommentStore, IAttachmentStore, IWebhookReceiver;

    public abstract class BaseConnector : IRecordReader
    {
        public abstract Task<IReadOnlyList<Record>> ReadByIdsAsync(string entity, IReadOnlyList<string> ids, IReadOnlyList<string> fields, CancellationToken cancellationToken);

        public abstract Task<IReadOnlyDictionary<string, RecordRef>> FindByCorrelationIdsAsync(string entity, IReadOnlyList<string> correlationIds,
            IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken);
    }

    public abstract class DerivedConnector : BaseConnector, IConnector, IRecordWriter
    {
        public abstract int MaxBatchSize { get; }

        public abstract Task<CheckResult> CheckAsync(CancellationToken cancellationToken);

        public abstract Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken);

        public abstract Task<EntitySchema> DescribeEntityAsync(string entity, IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken);

        public abstract Task<IReadOnlyList<WriteResult>> WriteAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken);

        public abstract ValueTask DisposeAsync();
    }
}
