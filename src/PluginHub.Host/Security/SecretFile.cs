using System.Security.Cryptography;

namespace PluginHub.Host.Security;

/// <summary>A random secret generated on first start and kept in a file only the host's user can read.</summary>
internal static class SecretFile
{
    /// <summary>The secret in <paramref name="path"/>, created (32 random bytes, URL-safe base64) when missing or empty.</summary>
    public static string ReadOrCreate(string path, out bool created)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                created = false;
                return existing;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, fileOptions))
        {
            writer.Write(secret);
        }

        created = true;
        return secret;
    }
}
