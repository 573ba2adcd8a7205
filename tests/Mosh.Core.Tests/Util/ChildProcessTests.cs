using Mosh.Util;
using static Mosh.Tests.Util.PtyTestHelpers;

namespace Mosh.Tests.Util;

[TestFixture]
public class ChildProcessTests
{
    private static ChildProcess StartShell(PseudoTerminal pty, string script, string argv0 = "sh",
        IReadOnlyList<string>? environment = null, string? workingDirectory = null) =>
        ChildProcess.Start("/bin/sh", [argv0, "-c", script], environment ?? MinimalEnvironment, pty.SlavePath, workingDirectory);

    [Test]
    public void Start_OnPty_ChildHasThePtyAsControllingTerminalWithItsSizeAndArgv0()
    {
        using var pty = PseudoTerminal.Open();
        pty.WindowSize = new WindowSize(37, 101);

        var child = StartShell(pty, "tty; stty size; echo \"$0\"; exec 3</dev/tty && echo ctty-ok", argv0: "mosh-argv0");
        string[] lines = Lines(ReadUntilEnd(pty));

        Assert.That(lines, Is.EqualTo(new[] { pty.SlavePath, "37 101", "mosh-argv0", "ctty-ok" }));
        Assert.That(pty.SlavePath, Does.Match("^/dev/pts/[0-9]+$"));
        Assert.That(child.WaitForExit().ExitCode, Is.Zero);
    }

    [Test]
    public void Start_LoginShellArgv0_IsPassedVerbatim()
    {
        using var pty = PseudoTerminal.Open();

        // A leading '-' makes sh a login shell; its profile may print, so look only at our line.
        var child = StartShell(pty, "echo \"argv0=$0\"", argv0: "-sh");

        Assert.That(Lines(ReadUntilEnd(pty)), Does.Contain("argv0=-sh"));
        child.WaitForExit();
    }

    [Test]
    public void Pty_LineWrittenToMaster_IsReadByTheChild()
    {
        using var pty = PseudoTerminal.Open();
        var child = StartShell(pty, "echo ready; read -r x; echo \"got:$x\"");
        ReadUntil(pty, "ready");

        Assert.That(pty.WriteAll("h\u00e9llo world\n"u8), Is.True);

        Assert.That(Lines(ReadUntilEnd(pty)), Does.Contain("got:h\u00e9llo world"));
        Assert.That(child.WaitForExit().ExitCode, Is.Zero);
    }

    [Test]
    public void Pty_AfterChildExits_ReadEndsAndWaitGivesExitCode()
    {
        using var pty = PseudoTerminal.Open();
        var child = StartShell(pty, "echo bye; exit 7");

        ReadUntilEnd(pty);
        var status = child.WaitForExit();

        Assert.Multiple(() =>
        {
            Assert.That(pty.TryRead(new byte[16], out int count), Is.True);
            Assert.That(count, Is.Zero, "EIO reads as end of output");
            Assert.That(status.Exited, Is.True);
            Assert.That(status.ExitCode, Is.EqualTo(7));
            Assert.That(child.ExitStatus, Is.EqualTo(status));
        });
    }

    [Test]
    public void Signal_RunningChild_EndsItAndWaitReportsTheSignal()
    {
        using var pty = PseudoTerminal.Open();
        var child = ChildProcess.Start("sleep", ["sleep", "30"], MinimalEnvironment, pty.SlavePath);

        Assert.That(child.TryWait(out _), Is.False, "still running");
        Assert.That(child.Signal(Signals.SIGTERM), Is.True);
        var status = child.WaitForExit();

        Assert.That((status.Signaled, status.Signal), Is.EqualTo((true, Signals.SIGTERM)));
        Assert.That(child.Signal(Signals.SIGTERM), Is.False, "reaped");
    }

    [Test]
    public void TryWait_ExitedChild_ReapsItOnce()
    {
        using var pty = PseudoTerminal.Open();
        var child = StartShell(pty, "exit 3");
        ReadUntilEnd(pty);

        ProcessExitStatus status = default;
        bool reaped = SpinWait.SpinUntil(() => child.TryWait(out status), 10_000);

        Assert.That((reaped, status.ExitCode), Is.EqualTo((true, 3)));
        Assert.That(child.TryWait(out var again) && again == status, Is.True, "the remembered status, no second waitpid");
    }

    [Test]
    public void Start_GivenEnvironment_IsTheWholeEnvironment()
    {
        using var pty = PseudoTerminal.Open();
        string[] environment = [.. MinimalEnvironment, "MOSH_TEST=x y"];

        var child = StartShell(pty, "echo \"[$MOSH_TEST] [${HOME-unset}]\"", environment: environment);

        Assert.That(Lines(ReadUntilEnd(pty)), Is.EqualTo(new[] { "[x y] [unset]" }));
        child.WaitForExit();
    }

    [Test]
    public void Start_WorkingDirectory_IsWhereTheChildStarts()
    {
        using var pty = PseudoTerminal.Open();

        var child = StartShell(pty, "pwd", workingDirectory: "/usr/share");

        Assert.That(Lines(ReadUntilEnd(pty)), Is.EqualTo(new[] { "/usr/share" }));
        child.WaitForExit();
    }

    [Test]
    public void Start_ResetsSignalDispositionsAndMaskTheRuntimeChanged()
    {
        Signals.Ignore(Signals.SIGHUP); // and the runtime itself ignores SIGPIPE
        Assert.That(IgnoredSignals("/proc/self/status") & (1UL << (Signals.SIGHUP - 1)), Is.Not.Zero);
        using var pty = PseudoTerminal.Open();

        var child = StartShell(pty, "exec grep -E '^Sig(Ign|Blk)' /proc/self/status");

        Assert.That(Lines(ReadUntilEnd(pty)), Is.EqualTo(new[] { "SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000" }));
        child.WaitForExit();
    }

    [Test]
    public void Start_InheritableDescriptorOfParent_IsClosedInTheChild()
    {
        int fd = LibC.Open("/dev/null", LibC.O_RDWR); // deliberately without O_CLOEXEC
        Assert.That(fd, Is.GreaterThan(2));
        try
        {
            using var pty = PseudoTerminal.Open();
            var child = StartShell(pty, $"if [ -e /proc/self/fd/{fd} ]; then echo leaked; else echo closed; fi");

            Assert.That(Lines(ReadUntilEnd(pty)), Is.EqualTo(new[] { "closed" }));
            child.WaitForExit();
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    [Test]
    public void Start_FileNameWithoutSlash_IsFoundOnPath()
    {
        using var pty = PseudoTerminal.Open();

        var child = ChildProcess.Start("echo", ["echo", "found"], MinimalEnvironment, pty.SlavePath);

        Assert.That(Lines(ReadUntilEnd(pty)), Is.EqualTo(new[] { "found" }));
        Assert.That(child.WaitForExit().ExitCode, Is.Zero);
    }

    [Test]
    public void Start_MissingProgram_ThrowsWithTheError()
    {
        using var pty = PseudoTerminal.Open();

        var error = Assert.Throws<IOException>(() =>
            ChildProcess.Start("/nonexistent/mosh-shell", ["x"], MinimalEnvironment, pty.SlavePath));

        Assert.That(error!.Message, Does.Contain("No such file"));
    }

    [Test]
    public void Start_ArgumentWithNul_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => ChildProcess.Start("/bin/true", ["true", "a\0b"], MinimalEnvironment));
    }

    private static ulong IgnoredSignals(string statusFile)
    {
        string line = File.ReadLines(statusFile).First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
    }
}
