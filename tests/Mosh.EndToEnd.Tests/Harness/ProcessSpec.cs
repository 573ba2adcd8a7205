namespace Mosh.EndToEnd.Harness;

/// <summary>What to run: the executable, its arguments and the environment changes (null value = unset).</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Text written to standard input, which is then closed; null leaves stdin empty and closed.</summary>
    public string? StandardInput { get; init; }

    public string CommandLine => Arguments.Count == 0 ? FileName : FileName + " " + string.Join(' ', Arguments);

    public ProcessSpec(string fileName, params string[] arguments) : this(fileName, (IReadOnlyList<string>)arguments)
    {
    }
}
