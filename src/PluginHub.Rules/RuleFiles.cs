namespace PluginHub.Rules;

/// <summary>Reads rule files that integrations reference by name (<c>{"name": "prefix", "file": "examples/prefix.js"}</c>).</summary>
public static class RuleFiles
{
    /// <summary>Largest rule file read; rules are small scripts, not bundles.</summary>
    public const int MaxFileBytes = 256 * 1024;

    /// <summary>
    /// The text of <paramref name="relativePath"/> under <paramref name="rulesDirectory"/>. Only <c>.js</c> files inside that
    /// directory can be read: absolute paths and <c>..</c> that leave it are refused, so an integration definition cannot read
    /// other files of the host.
    /// </summary>
    /// <exception cref="ArgumentException">The path is not a <c>.js</c> file inside the rules directory.</exception>
    /// <exception cref="FileNotFoundException">There is no such rule file.</exception>
    /// <exception cref="InvalidDataException">The file is larger than <see cref="MaxFileBytes"/>.</exception>
    public static async Task<string> ReadAsync(string rulesDirectory, string relativePath, CancellationToken cancellationToken = default)
    {
        var path = Resolve(rulesDirectory, relativePath);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"There is no rule file '{relativePath}'.", relativePath);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"The rule file '{relativePath}' is larger than {MaxFileBytes} bytes.");
        }

        return await File.ReadAllTextAsync(path, cancellationToken);
    }

    /// <summary>The full path of a rule file, after the same checks as <see cref="ReadAsync"/>.</summary>
    /// <exception cref="ArgumentException">The path is not a <c>.js</c> file inside the rules directory.</exception>
    public static string Resolve(string rulesDirectory, string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rulesDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        if (Path.IsPathRooted(relativePath) || !relativePath.EndsWith(".js", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A rule file is a relative path to a .js file under rules/, not '{relativePath}'.", nameof(relativePath));
        }

        var root = Path.GetFullPath(rulesDirectory);
        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The rule file '{relativePath}' is outside the rules directory.", nameof(relativePath));
        }

        return path;
    }
}
