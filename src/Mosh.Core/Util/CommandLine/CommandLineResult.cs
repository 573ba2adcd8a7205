namespace Mosh.Util.CommandLine;

/// <summary>
/// What parsing a command line produced: either options to run with, or an exit status with the text to print
/// first (help, version, or an error with the usage). Warnings that do not stop the program travel with the
/// options.
/// </summary>
internal sealed class CommandLineResult<T> where T : class
{
    public T? Options { get; private init; }
    public int ExitStatus { get; private init; }
    public string StandardOutput { get; private init; } = "";
    public string StandardError { get; private init; } = "";

    public static CommandLineResult<T> Success(T options, string warnings = "") =>
        new() { Options = options, StandardError = warnings };

    public static CommandLineResult<T> Exit(int status, string stdout = "", string stderr = "") =>
        new() { ExitStatus = status, StandardOutput = stdout, StandardError = stderr };

    /// <summary>Prints the texts; returns the exit status when the program should stop, else null.</summary>
    public int? Report()
    {
        if (StandardOutput.Length > 0)
        {
            StandardStreams.WriteOutput(StandardOutput);
        }
        if (StandardError.Length > 0)
        {
            StandardStreams.WriteErrorText(StandardError);
        }
        return Options is null ? ExitStatus : null;
    }
}
