namespace PluginHub.Sandbox.Salesforce.Data;

/// <summary>Salesforce record ids: 3-char key prefix + 12 chars, and the 18-char form whose last 3 chars encode the case of the first 15.</summary>
internal static class SfId
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Suffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>prefix(3) + pod "5g" + "0" + base-62 counter(9), then the checksum (reference §10.3).</summary>
    public static string Make(string prefix, long counter)
    {
        Span<char> id = stackalloc char[15];
        prefix.AsSpan().CopyTo(id);
        id[3] = '5';
        id[4] = 'g';
        id[5] = '0';
        var n = counter;
        for (var i = 14; i >= 6; i--)
        {
            id[i] = Base62[(int)(n % 62)];
            n /= 62;
        }

        return To18(new string(id));
    }

    public static string To18(string id15)
    {
        Span<char> suffix = stackalloc char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(id15[(chunk * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = Suffix[bits];
        }

        return string.Concat(id15.AsSpan(0, 15), suffix);
    }

    /// <summary>Accepts a 15-char (case-sensitive) or 18-char id and returns the canonical 18-char form.</summary>
    public static bool TryNormalize(string? value, out string id18)
    {
        id18 = string.Empty;
        if (value is null || (value.Length != 15 && value.Length != 18))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        if (value.Length == 15)
        {
            id18 = To18(value);
            return true;
        }

        // The suffix tells which letters are upper case, so an 18-char id may come in any case.
        Span<char> fixedId = stackalloc char[15];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = Suffix.IndexOf(char.ToUpperInvariant(value[15 + chunk]), StringComparison.Ordinal);
            if (bits < 0)
            {
                return false;
            }

            for (var i = 0; i < 5; i++)
            {
                var c = value[(chunk * 5) + i];
                fixedId[(chunk * 5) + i] = (bits & (1 << i)) != 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
            }
        }

        id18 = To18(new string(fixedId));
        return string.Equals(id18[15..], value[15..], StringComparison.OrdinalIgnoreCase);
    }

    public static string Prefix(string id) => id[..3];
}
