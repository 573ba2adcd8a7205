using System.Diagnostics;
using Mosh.EndToEnd.Wrapper;

namespace Mosh.EndToEnd.Packaging;

/// <summary>Runs build and packaging tools from the top of the repository.</summary>
internal static class Tool
{
    public static string RepositoryRoot { get; } = Path.GetDirectoryName(ExecutableCommandLineTests.RepositoryFile("mosh.sln"))!;

    public static string Version { get; } = File.ReadAllText(Path.Combine(RepositoryRoot, "VERSION")).Trim();

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public Result Succeeded(string what)
        {
            Assert.That(ExitCode, Is.EqualTo(0), $"{what} failed:\n{StandardOutput}\n{StandardError}");
            return this;
        }
    }

    public static Result Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(600_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish in 10 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>make with the published binaries' directory, so `make` publishes only when they are missing.</summary>
    public static Result Make(params string[] args) =>
        Run("make", ["--no-print-directory", $"BIN={PublishedBinaries.Directory}", .. args]);

    /// <summary>Every file and symbolic link under <paramref name="root"/>, relative, sorted.</summary>
    public static string[] FilesUnder(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
                .Where(p => !Directory.Exists(p) || new FileInfo(p).LinkTarget is not null)
                .Select(p => Path.GetRelativePath(root, p))
                .Order(StringComparer.Ordinal)
                .ToArray()
            : [];
}
