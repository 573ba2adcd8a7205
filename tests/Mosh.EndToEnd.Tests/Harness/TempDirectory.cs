namespace Mosh.EndToEnd.Harness;

/// <summary>A private (0700) scratch directory removed with everything in it on disposal.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "mosh-e2e-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process we could not kill still holds a file; the OS temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
