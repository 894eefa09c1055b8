namespace PluginHub.Sandbox.Salesforce.Data;

/// <summary>
/// One record, kept compact: a value slot per field ordinal (string, bool, decimal, DateTime in UTC, DateOnly or byte[] for blobs).
/// Records are only read or written under <see cref="SfOrg.Gate"/>.
/// </summary>
internal sealed class SfRecord
{
    private static readonly object True = true;
    private static readonly object False = false;

    public SfRecord(SfObject type, string id)
    {
        Type = type;
        Id = id;
        Values = new object?[type.Fields.Count];
        Values[0] = id;
    }

    public SfObject Type { get; }

    public string Id { get; }

    public object?[] Values { get; set; }

    public DateTime? DeletedDate { get; set; }

    public bool IsDeleted => DeletedDate is not null;

    public DateTime SystemModstamp => (DateTime)this[Type["SystemModstamp"]]!;

    public object? this[SfField field]
    {
        get => field.Ordinal < Values.Length ? Values[field.Ordinal] : null;
        set
        {
            if (field.Ordinal >= Values.Length)
            {
                var grown = Values;
                Array.Resize(ref grown, Type.Fields.Count);
                Values = grown;
            }

            // Shares the boxed booleans: most records carry several flags.
            Values[field.Ordinal] = value is bool b ? (b ? True : False) : value;
        }
    }

    public object? Get(string fieldName) => Type.Field(fieldName) is { } f ? this[f] : null;

    public void Set(string fieldName, object? value) => this[Type[fieldName]] = value;
}

/// <summary>The records of one object, with the indexes SOQL and upsert use: SystemModstamp order and unique/external-id values.</summary>
internal sealed class SfTable
{
    private readonly Dictionary<int, Dictionary<string, List<SfRecord>>> _keys = [];

    public SfTable(SfObject type)
    {
        Type = type;
    }

    public SfObject Type { get; }

    public Dictionary<string, SfRecord> ById { get; } = new(StringComparer.Ordinal);

    /// <summary>All records (deleted ones too) by (SystemModstamp ticks, Id): incremental sync reads ranges of it in order.</summary>
    public SortedSet<(long Stamp, string Id)> ByModstamp { get; } = new(ModstampComparer.Instance);

    public void Add(SfRecord record)
    {
        ById[record.Id] = record;
        Index(record);
    }

    public void Remove(SfRecord record)
    {
        Unindex(record);
        ById.Remove(record.Id);
    }

    public void Index(SfRecord record)
    {
        ByModstamp.Add((record.SystemModstamp.Ticks, record.Id));
        if (record.IsDeleted)
        {
            return;
        }

        foreach (var f in Type.Fields)
        {
            if ((f.ExternalId || f.Unique) && record[f] is { } v)
            {
                var map = KeyMap(f);
                var key = KeyOf(v);
                if (!map.TryGetValue(key, out var list))
                {
                    map[key] = list = [];
                }

                list.Add(record);
            }
        }
    }

    public void Unindex(SfRecord record)
    {
        ByModstamp.Remove((record.SystemModstamp.Ticks, record.Id));
        foreach (var f in Type.Fields)
        {
            if ((f.ExternalId || f.Unique) && record[f] is { } v && KeyMap(f).TryGetValue(KeyOf(v), out var list))
            {
                list.Remove(record);
                if (list.Count == 0)
                {
                    KeyMap(f).Remove(KeyOf(v));
                }
            }
        }
    }

    /// <summary>Live (not deleted) records whose unique or external-id field equals the value (case-insensitive, as Salesforce's default).</summary>
    public IReadOnlyList<SfRecord> FindByKey(SfField field, object value) =>
        KeyMap(field).TryGetValue(KeyOf(value), out var list) ? [.. list] : [];

    private Dictionary<string, List<SfRecord>> KeyMap(SfField f)
    {
        if (!_keys.TryGetValue(f.Ordinal, out var map))
        {
            _keys[f.Ordinal] = map = new Dictionary<string, List<SfRecord>>(StringComparer.OrdinalIgnoreCase);
        }

        return map;
    }

    private static string KeyOf(object value) => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private sealed class ModstampComparer : IComparer<(long Stamp, string Id)>
    {
        public static readonly ModstampComparer Instance = new();

        public int Compare((long Stamp, string Id) x, (long Stamp, string Id) y)
        {
            var c = x.Stamp.CompareTo(y.Stamp);
            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
