using Microsoft.Win32.SafeHandles;
using Mosh.Util;

namespace Mosh.Wrapper;

/// <summary>
/// A child (ssh, `mosh-client -c`, a local mosh-server) whose standard output, and optionally its standard error,
/// go into a pipe the wrapper reads. Spawning is <see cref="Util.ChildProcess"/>'s: posix_spawn, never fork(),
/// with signal dispositions and mask reset so the child starts as from a shell.
/// </summary>
internal sealed unsafe class PipedChild
{
    private readonly Util.ChildProcess _process;

    private PipedChild(Util.ChildProcess process, FileStream output)
    {
        _process = process;
        Output = output;
    }

    public int Pid => _process.Id;

    /// <summary>The read end of the child's output pipe.</summary>
    public FileStream Output { get; }

    /// <summary>Starts <paramref name="file"/> (looked up in PATH when it has no slash); throws <see cref="SpawnException"/>.</summary>
    public static PipedChild Start(string file, IReadOnlyList<string> argv, EnvironmentBlock environment,
        bool stderrToPipe, string? workingDirectory = null)
    {
        int* fds = stackalloc int[2];
        if (LibC.Pipe2(fds, LibC.O_CLOEXEC) != 0)
        {
            throw new SpawnException(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }

        Util.ChildProcess process;
        try
        {
            process = Util.ChildProcess.Start(file, argv, environment.ToEntries(), workingDirectory: workingDirectory,
                outputFd: fds[1], stderrToOutput: stderrToPipe);
        }
        catch (IOException e)
        {
            LibC.Close(fds[0]);
            throw new SpawnException(e.HResult); // LibC.Error carries the errno in HResult
        }
        finally
        {
            LibC.Close(fds[1]);
        }

        return new PipedChild(process, new FileStream(new SafeFileHandle(fds[0], ownsHandle: true), FileAccess.Read, bufferSize: 0));
    }

    /// <summary>Waits for the child and returns its exit status (128 + N when killed by signal N).</summary>
    public int WaitForExit()
    {
        ProcessExitStatus status = _process.WaitForExit();
        return status.Signaled ? 128 + status.Signal : status.ExitCode;
    }
}
