using System.Text.Json;
using PluginHub.Connectors.Abstractions;
using PluginHub.Core.Integrations.Definitions;
using PluginHub.Core.Sync;

namespace PluginHub.Core.Tests;

public sealed class FieldMapperTests
{
    private static readonly FieldSchema Status = new() { Name = "status", Label = "Status", Type = FieldType.Choice };
    private static readonly FieldSchema Summary = new() { Name = "summary", Label = "Summary", Type = FieldType.Text };
    private static readonly FieldSchema Description = new() { Name = "description", Label = "Description", Type = FieldType.RichText, RichTextFormat = RichTextFormat.Adf };

    private static IntegrationDefinition Definition(SyncDirection direction, params FieldMapping[] fields) => new()
    {
        Source = new EndpointDefinition { Connection = "sf", Entity = "Case" },
        Target = new EndpointDefinition { Connection = "jira", Entity = "Task" },
        Direction = direction,
        Fields = fields,
        Conflict = ConflictPolicy.LatestWins,
    };

    [Fact]
    public void Each_direction_gets_the_mappings_that_flow_its_way_with_its_value_map()
    {
        var definition = Definition(
            SyncDirection.Bidirectional,
            new FieldMapping { Source = "Subject", Target = "summary" },
            new FieldMapping { Source = "Status", Target = "status", ValueMap = new ValueMaps { ToTarget = new Dictionary<string, string> { ["New"] = "To Do" }, ToSource = new Dictionary<string, string> { ["To Do"] = "New" } }, Conflict = ConflictPolicy.SourceWins },
            new FieldMapping { Source = "Origin", Target = "labels", Direction = FlowDirection.ToTarget },
            new FieldMapping { Source = "Jira_Status__c", Target = "status", Direction = FlowDirection.ToSource });

        var toTarget = FieldMapper.For(definition, Side.Source);
        var toSource = FieldMapper.For(definition, Side.Target);

        Assert.Equal(["Subject", "Status", "Origin"], toTarget.Select(m => m.From));
        Assert.Equal(["summary→Subject", "status→Status", "status→Jira_Status__c"], toSource.Select(m => $"{m.From}→{m.To}"));
        Assert.Equal("To Do", toTarget[1].ValueMap!["New"]);
        Assert.Equal("New", toSource[1].ValueMap!["To Do"]);
        Assert.Equal(ConflictPolicy.SourceWins, toTarget[1].Conflict);
        Assert.Equal(ConflictPolicy.LatestWins, toTarget[0].Conflict);
    }

    [Fact]
    public void A_one_way_integration_has_nothing_flowing_back()
    {
        var definition = Definition(SyncDirection.OneWay, new FieldMapping { Source = "Subject", Target = "summary" });

        Assert.Empty(FieldMapper.For(definition, Side.Target));
        Assert.Single(FieldMapper.For(definition, Side.Source));
    }

    [Theory]
    [InlineData("Working", "Working", "In Progress")]
    [InlineData("3", "In Progress", "Working")]
    [InlineData("Unmapped", "Unmapped", "Unmapped")]
    public void Value_maps_match_the_choice_key_then_its_label(string key, string label, string expected)
    {
        var map = new Dictionary<string, string> { ["Working"] = "In Progress", ["In Progress"] = "Working" };
        var mapping = new DirectedMapping("Status", "status", map, null, null, ConflictPolicy.LatestWins);

        var value = Assert.IsType<ChoiceValue>(FieldMapper.Convert(mapping, new ChoiceValue(key, label), Status));

        Assert.Equal(expected, value.Label ?? value.Key);
    }

    [Fact]
    public void Values_take_the_shape_of_the_target_field()
    {
        var toText = new DirectedMapping("Description", "summary", null, null, null, ConflictPolicy.LatestWins);
        var toRich = new DirectedMapping("Description", "description", null, null, null, ConflictPolicy.LatestWins);

        Assert.Equal(new TextValue("Bold and plain"), FieldMapper.Convert(toText, new RichTextValue(RichTextFormat.Html, "<p><b>Bold</b> and plain</p>"), Summary));
        Assert.Equal(new RichTextValue(RichTextFormat.Plain, "line 1\nline 2"), FieldMapper.Convert(toRich, new TextValue("line 1\nline 2"), Description));
        Assert.Equal(NullValue.Instance, FieldMapper.Convert(toText, NullValue.Instance, Summary));
    }

    [Fact]
    public void Defaults_fill_empty_values()
    {
        using var json = JsonDocument.Parse("\"Medium\"");
        var mapping = new DirectedMapping("Priority", "priority", new Dictionary<string, string> { ["Medium"] = "Medium" }, json.RootElement.Clone(), null, ConflictPolicy.LatestWins);

        var value = FieldMapper.Convert(mapping, NullValue.Instance, new FieldSchema { Name = "priority", Label = "Priority", Type = FieldType.Choice });

        Assert.Equal(new ChoiceValue("Medium", "Medium"), value);
    }

    [Fact]
    public void Users_are_matched_by_email_or_fixed_or_left_alone()
    {
        var agent = new UserValue(new UserRef("005000000000001AAA", "agent@pluginhub.test", "Agent"));
        DirectedMapping Mapping(UserMatch match) => new("OwnerId", "assignee", null, null, match, ConflictPolicy.LatestWins);

        Assert.Equal(new UserValue(new UserRef(null, "agent@pluginhub.test", "Agent")), FieldMapper.Convert(Mapping(new UserMatch()), agent, null));
        Assert.Equal(new UserValue(new UserRef(null, "lead@pluginhub.test", null)), FieldMapper.Convert(Mapping(new UserMatch { Mode = UserMatchMode.Fixed, Email = "lead@pluginhub.test" }), agent, null));
        Assert.Null(FieldMapper.Convert(Mapping(new UserMatch { Mode = UserMatchMode.None }), agent, null));
        Assert.Null(FieldMapper.Convert(Mapping(new UserMatch()), new UserValue(new UserRef("abc", null, "Hidden e-mail")), null));
    }
}
