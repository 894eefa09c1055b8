namespace PluginHub.Testing;

/// <summary>Finds the repository's root folder: the nearest folder above the test's output that holds <c>PluginHub.sln</c>.</summary>
public static class RepositoryRoot
{
    public const string SolutionFileName = "PluginHub.sln";

    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFileName} in {AppContext.BaseDirectory} or any folder above it; the tests must run from the repository.");
    }
}
