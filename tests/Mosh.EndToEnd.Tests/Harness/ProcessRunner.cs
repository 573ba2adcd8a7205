using System.Diagnostics;

namespace Mosh.EndToEnd.Harness;

/// <summary>Runs commands to completion with a timeout, or starts long-running ones owned by the test.</summary>
internal static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs a command to completion, capturing stdout, stderr and the exit code. On timeout the whole
    /// process tree is killed and the result says so (it does not throw).</summary>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan? timeout = null)
    {
        await using var running = Start(spec);
        bool exited = await running.WaitForExitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        if (!exited)
        {
            running.Kill();
            await running.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        return new ProcessResult(spec.CommandLine, exited ? running.ExitCode : -1, running.Stdout, running.Stderr, !exited);
    }

    public static Task<ProcessResult> RunAsync(string fileName, params string[] arguments) =>
        RunAsync(new ProcessSpec(fileName, arguments));

    /// <summary>Starts a long-running process; disposing the handle kills its whole tree.</summary>
    public static RunningProcess Start(ProcessSpec spec)
    {
        var psi = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in spec.Arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        foreach ((string name, string? value) in spec.Environment)
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
        var process = new Process { StartInfo = psi };
        var running = new RunningProcess(process, spec.CommandLine);
        process.Start();
        running.BeginCapture();
        if (spec.StandardInput is not null)
        {
            process.StandardInput.Write(spec.StandardInput);
        }
        process.StandardInput.Close();
        return running;
    }
}
