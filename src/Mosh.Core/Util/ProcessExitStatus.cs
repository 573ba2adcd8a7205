namespace Mosh.Util;

/// <summary>How a child ended, decoded from a waitpid(2) status word.</summary>
internal readonly record struct ProcessExitStatus(int RawStatus)
{
    /// <summary>The child called exit (WIFEXITED).</summary>
    public bool Exited => (RawStatus & 0x7F) == 0;

    /// <summary>The exit code (WEXITSTATUS), meaningful when <see cref="Exited"/>.</summary>
    public int ExitCode => (RawStatus >> 8) & 0xFF;

    /// <summary>A signal ended the child (WIFSIGNALED).</summary>
    public bool Signaled => !Exited && (RawStatus & 0x7F) != 0x7F;

    /// <summary>The terminating signal (WTERMSIG), meaningful when <see cref="Signaled"/>.</summary>
    public int Signal => RawStatus & 0x7F;

    public override string ToString() => Exited ? $"exit {ExitCode}" : Signaled ? $"signal {Signal}" : $"status 0x{RawStatus:X}";
}
