namespace Mosh.EndToEnd.Harness;

/// <summary>Which mosh executables a test runs: Debian's upstream 1.4.0 or ours from the build.</summary>
internal sealed record MoshPrograms(string Name, string Wrapper, string Client, string Server)
{
    public const string BinDirVariable = "MOSH_BIN_DIR";

    /// <summary>Debian's mosh package (upstream 1.4.0).</summary>
    public static MoshPrograms Upstream { get; } = new("upstream", "/usr/bin/mosh", "/usr/bin/mosh-client", "/usr/bin/mosh-server");

    /// <summary>Our AOT executables: from $MOSH_BIN_DIR (set by <c>make check</c>), else the nearest
    /// <c>build/bin</c> above the test directory; null when not built.</summary>
    public static MoshPrograms? Ours { get; } = LocateOurs();

    /// <summary><see cref="Ours"/>; when the executables are not built, the test fails under make check and is
    /// skipped when run by hand (<see cref="Prerequisite"/>).</summary>
    public static MoshPrograms RequireOurs()
    {
        if (Ours is null)
        {
            Prerequisite.Missing($"our executables are not built (set {BinDirVariable} or run make)");
        }
        return Ours;
    }

    /// <summary><see cref="Upstream"/>, with the same policy when Debian's mosh is not installed.</summary>
    public static MoshPrograms RequireUpstream()
    {
        Prerequisite.RequireFiles("Debian's mosh (upstream 1.4.0)", Upstream.Wrapper, Upstream.Client, Upstream.Server);
        return Upstream;
    }

    /// <summary>Test cases for "ours" and "upstream" (<see cref="Named"/>), shown by those names.</summary>
    public static IEnumerable<TestCaseData> BothNames()
    {
        yield return new TestCaseData("ours").SetArgDisplayNames("ours");
        yield return new TestCaseData("upstream").SetArgDisplayNames("upstream");
    }

    /// <summary>The programs a test case names: "ours" (<see cref="RequireOurs"/>) or "upstream"
    /// (<see cref="RequireUpstream"/>).</summary>
    public static MoshPrograms Named(string name) => name switch
    {
        "ours" => RequireOurs(),
        "upstream" => RequireUpstream(),
        _ => throw new ArgumentException($"no programs named '{name}'", nameof(name)),
    };

    public static MoshPrograms In(string directory) =>
        new("ours", Path.Combine(directory, "mosh"), Path.Combine(directory, "mosh-client"), Path.Combine(directory, "mosh-server"));

    private static MoshPrograms? LocateOurs()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(BinDirVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Complete(In(fromEnvironment));
        }
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "build", "bin");
            if (Directory.Exists(candidate))
            {
                return Complete(In(candidate));
            }
        }
        return null;
    }

    private static MoshPrograms? Complete(MoshPrograms programs) =>
        File.Exists(programs.Wrapper) && File.Exists(programs.Client) && File.Exists(programs.Server) ? programs : null;

    public override string ToString() => Name;
}
