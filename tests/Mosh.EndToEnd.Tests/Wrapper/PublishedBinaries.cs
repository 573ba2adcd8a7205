using System.Diagnostics;

namespace Mosh.EndToEnd.Wrapper;

/// <summary>The published executables (env MOSH_BIN_DIR, else build/bin above the test directory) and a way to run them.</summary>
internal static class PublishedBinaries
{
    public static string Directory { get; } = Locate();

    public static string PathOf(string program) => Path.Combine(Directory, program);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("MOSH_BIN_DIR") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        string? repository = null;
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "build", "bin");
            if (File.Exists(Path.Combine(candidate, "mosh")))
            {
                return candidate;
            }
            repository ??= File.Exists(Path.Combine(dir.FullName, "mosh.sln")) ? dir.FullName : null;
        }
        // Not published yet: where `make publish` would put the binaries.
        return Path.Combine(repository ?? TestContext.CurrentContext.TestDirectory, "build", "bin");
    }

    /// <summary>When the program was not published, the test fails under make check and is skipped when run by
    /// hand, as every other missing executable (<see cref="Prerequisite"/>).</summary>
    public static void Require(string program)
    {
        if (!File.Exists(PathOf(program)))
        {
            Prerequisite.Missing($"{PathOf(program)} is missing: run `make publish` or set MOSH_BIN_DIR");
        }
    }

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs a program with no terminal, optional environment changes (null removes), and a time limit.</summary>
    public static Result Run(string path, IEnumerable<string> args, IDictionary<string, string?>? environment = null,
        string? standardInput = null, int timeoutMs = 20000)
    {
        var psi = new ProcessStartInfo(path, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }
        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{path} {string.Join(' ', args)} did not finish within {timeoutMs} ms");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
