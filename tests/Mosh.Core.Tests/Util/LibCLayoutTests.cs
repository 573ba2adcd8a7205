using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mosh.Util;

namespace Mosh.Tests.Util;

/// <summary>
/// Every struct size, field offset and constant Mosh.Util.LibC (and the types it passes to C) declares, checked
/// against what the C headers say on each architecture: LibCLayouts.c is compiled by clang for the target and run
/// (natively, or under qemu for aarch64 on an x86-64 host), and each of its lines is compared with the C# side.
/// </summary>
[TestFixture]
public unsafe class LibCLayoutTests
{
    /// <summary>Architectures the product is built for, with clang's target triple.</summary>
    private static readonly (Architecture Architecture, string Triple)[] Targets =
    [
        (Architecture.X64, "x86_64-linux-gnu"),
        (Architecture.Arm64, "aarch64-linux-gnu"),
    ];

    [Test]
    public void EveryStructAndConstant_AsThisProcessLaysThemOut_MatchesTheCHeaders()
    {
        string triple = TripleOf(RuntimeInformation.ProcessArchitecture);
        Dictionary<string, long> headers = RunHeaderProbe(triple, emulated: false);
        Compare(ManagedLayout(), headers, triple, complete: true);
    }

    [TestCaseSource(nameof(Targets))]
    public void UtmpxLayoutTable_ForEachArchitecture_MatchesTheCHeaders((Architecture Architecture, string Triple) target)
    {
        bool native = target.Architecture == RuntimeInformation.ProcessArchitecture;
        Dictionary<string, long> headers = RunHeaderProbe(target.Triple, emulated: !native);
        LibC.UtmpxLayout layout = LibC.UtmpxLayout.For(target.Architecture)
            ?? throw new AssertionException($"no utmpx layout declared for {target.Architecture}");
        var ours = new Dictionary<string, long>
        {
            ["sizeof utmpx"] = layout.Size,
            ["offsetof utmpx.ut_type"] = 0,
            ["sizeof utmpx.ut_type"] = sizeof(short),
            ["offsetof utmpx.ut_line"] = layout.Line,
            ["offsetof utmpx.ut_user"] = layout.User,
            ["offsetof utmpx.ut_host"] = layout.Host,
            ["offsetof utmpx.ut_session"] = layout.Session,
            ["offsetof utmpx.ut_tv"] = layout.Time,
            ["sizeof utmpx.ut_line"] = LibC.UtmpxLayout.LineSize,
            ["sizeof utmpx.ut_user"] = LibC.UtmpxLayout.UserSize,
            ["sizeof utmpx.ut_host"] = LibC.UtmpxLayout.HostSize,
        };
        Compare(ours, headers, target.Triple, complete: false);
    }

    [Test]
    public void UtmpxLayouts_DifferBetweenArchitectures_SoTheTableIsNeeded()
    {
        // Guards the reason the table exists: if both agreed, one declaration would do.
        Assert.That(LibC.UtmpxLayout.X64, Is.Not.EqualTo(LibC.UtmpxLayout.Arm64));
    }

    /// <summary>Every value of ours must match; when <paramref name="complete"/>, every header value must be ours too.</summary>
    private static void Compare(Dictionary<string, long> ours, Dictionary<string, long> headers, string triple, bool complete)
    {
        var wrong = new List<string>();
        foreach ((string name, long value) in ours)
        {
            if (!headers.TryGetValue(name, out long expected))
            {
                wrong.Add($"{name}: not printed by LibCLayouts.c");
            }
            else if (expected != value)
            {
                wrong.Add($"{name}: C# {value}, C headers ({triple}) {expected}");
            }
        }

        foreach (string name in headers.Keys)
        {
            if (complete && !ours.ContainsKey(name))
            {
                wrong.Add($"{name}: printed by LibCLayouts.c but not declared on the C# side");
            }
        }

        Assert.That(wrong, Is.Empty, string.Join("\n", wrong));
    }

    /// <summary>This process's view of every binding's struct and constant, named as LibCLayouts.c prints them.</summary>
    private static Dictionary<string, long> ManagedLayout()
    {
        var m = new Dictionary<string, long>();

        m["sizeof sigset_t"] = sizeof(LibC.SignalSet);
        m["sizeof posix_spawnattr_t"] = sizeof(LibC.SpawnAttributes);
        m["sizeof posix_spawn_file_actions_t"] = sizeof(LibC.SpawnFileActions);

        LibC.SignalAction action = default;
        m["sizeof sigaction"] = sizeof(LibC.SignalAction);
        m["offsetof sigaction.sa_handler"] = Offset(ref action, ref action.Handler);
        m["offsetof sigaction.sa_mask"] = Offset(ref action, ref action.Mask);
        m["offsetof sigaction.sa_flags"] = Offset(ref action, ref action.Flags);
        m["offsetof sigaction.sa_restorer"] = Offset(ref action, ref action.Restorer);

        TerminalAttributes termios = default;
        m["sizeof termios"] = sizeof(TerminalAttributes);
        m["offsetof termios.c_iflag"] = Offset(ref termios, ref termios.InputFlags);
        m["offsetof termios.c_oflag"] = Offset(ref termios, ref termios.OutputFlags);
        m["offsetof termios.c_cflag"] = Offset(ref termios, ref termios.ControlFlags);
        m["offsetof termios.c_lflag"] = Offset(ref termios, ref termios.LocalFlags);
        m["offsetof termios.c_line"] = Offset(ref termios, ref termios.LineDiscipline);
        m["offsetof termios.c_cc"] = Offset(ref termios, ref termios.ControlCharacters[0]);
        m["offsetof termios.c_ispeed"] = Offset(ref termios, ref termios.InputSpeed);
        m["offsetof termios.c_ospeed"] = Offset(ref termios, ref termios.OutputSpeed);

        // WindowSize is a positional record struct: find each property's bytes by writing distinct values.
        var window = new WindowSize(Rows: 0x0101, Columns: 0x0202, PixelWidth: 0x0303, PixelHeight: 0x0404);
        ReadOnlySpan<byte> windowBytes = MemoryMarshal.AsBytes(new ReadOnlySpan<WindowSize>(in window));
        m["sizeof winsize"] = sizeof(WindowSize);
        m["offsetof winsize.ws_row"] = windowBytes.IndexOf((byte)0x01);
        m["offsetof winsize.ws_col"] = windowBytes.IndexOf((byte)0x02);
        m["offsetof winsize.ws_xpixel"] = windowBytes.IndexOf((byte)0x03);
        m["offsetof winsize.ws_ypixel"] = windowBytes.IndexOf((byte)0x04);

        PollDescriptor poll = default;
        m["sizeof pollfd"] = sizeof(PollDescriptor);
        m["offsetof pollfd.fd"] = Offset(ref poll, ref poll.Fd);
        m["offsetof pollfd.events"] = Offset(ref poll, ref Unsafe.As<PollEvents, byte>(ref poll.Events));
        m["offsetof pollfd.revents"] = Offset(ref poll, ref Unsafe.As<PollEvents, byte>(ref poll.ReturnedEvents));

        LibC.IoVector iov = default;
        m["sizeof iovec"] = sizeof(LibC.IoVector);
        m["offsetof iovec.iov_base"] = FieldOffset(&iov, &iov.Base);
        m["offsetof iovec.iov_len"] = FieldOffset(&iov, &iov.Length);

        LibC.MessageHeader msg = default;
        m["sizeof msghdr"] = sizeof(LibC.MessageHeader);
        m["offsetof msghdr.msg_name"] = FieldOffset(&msg, &msg.Name);
        m["offsetof msghdr.msg_namelen"] = FieldOffset(&msg, &msg.NameLength);
        m["offsetof msghdr.msg_iov"] = FieldOffset(&msg, &msg.Iov);
        m["offsetof msghdr.msg_iovlen"] = FieldOffset(&msg, &msg.IovLength);
        m["offsetof msghdr.msg_control"] = FieldOffset(&msg, &msg.Control);
        m["offsetof msghdr.msg_controllen"] = FieldOffset(&msg, &msg.ControlLength);
        m["offsetof msghdr.msg_flags"] = FieldOffset(&msg, &msg.Flags);

        LibC.ControlMessageHeader cmsg = default;
        m["sizeof cmsghdr"] = sizeof(LibC.ControlMessageHeader);
        m["offsetof cmsghdr.cmsg_len"] = FieldOffset(&cmsg, &cmsg.Length);
        m["offsetof cmsghdr.cmsg_level"] = FieldOffset(&cmsg, &cmsg.Level);
        m["offsetof cmsghdr.cmsg_type"] = FieldOffset(&cmsg, &cmsg.Type);

        LibC.Passwd pw = default;
        m["sizeof passwd"] = sizeof(LibC.Passwd);
        m["offsetof passwd.pw_name"] = FieldOffset(&pw, &pw.Name);
        m["offsetof passwd.pw_passwd"] = FieldOffset(&pw, &pw.Password);
        m["offsetof passwd.pw_uid"] = FieldOffset(&pw, &pw.UserId);
        m["offsetof passwd.pw_gid"] = FieldOffset(&pw, &pw.GroupId);
        m["offsetof passwd.pw_gecos"] = FieldOffset(&pw, &pw.Gecos);
        m["offsetof passwd.pw_dir"] = FieldOffset(&pw, &pw.Directory);
        m["offsetof passwd.pw_shell"] = FieldOffset(&pw, &pw.Shell);

        // The utmpx entries of this architecture, through the table UtmpReader uses.
        LibC.UtmpxLayout utmpx = LibC.UtmpxLayout.Current;
        m["sizeof utmpx"] = utmpx.Size;
        m["offsetof utmpx.ut_type"] = 0;
        m["sizeof utmpx.ut_type"] = sizeof(short);
        m["offsetof utmpx.ut_line"] = utmpx.Line;
        m["offsetof utmpx.ut_user"] = utmpx.User;
        m["offsetof utmpx.ut_host"] = utmpx.Host;
        m["offsetof utmpx.ut_session"] = utmpx.Session;
        m["offsetof utmpx.ut_tv"] = utmpx.Time;
        m["sizeof utmpx.ut_line"] = LibC.UtmpxLayout.LineSize;
        m["sizeof utmpx.ut_user"] = LibC.UtmpxLayout.UserSize;
        m["sizeof utmpx.ut_host"] = LibC.UtmpxLayout.HostSize;

        ZLib.ZStream z = default;
        m["sizeof z_stream"] = sizeof(ZLib.ZStream);
        m["offsetof z_stream.next_in"] = FieldOffset(&z, &z.NextIn);
        m["offsetof z_stream.avail_in"] = FieldOffset(&z, &z.AvailIn);
        m["offsetof z_stream.total_in"] = FieldOffset(&z, &z.TotalIn);
        m["offsetof z_stream.next_out"] = FieldOffset(&z, &z.NextOut);
        m["offsetof z_stream.avail_out"] = FieldOffset(&z, &z.AvailOut);
        m["offsetof z_stream.total_out"] = FieldOffset(&z, &z.TotalOut);
        m["offsetof z_stream.msg"] = FieldOffset(&z, &z.Msg);
        m["offsetof z_stream.state"] = FieldOffset(&z, &z.State);
        m["offsetof z_stream.zalloc"] = FieldOffset(&z, &z.ZAlloc);
        m["offsetof z_stream.zfree"] = FieldOffset(&z, &z.ZFree);
        m["offsetof z_stream.opaque"] = FieldOffset(&z, &z.Opaque);
        m["offsetof z_stream.data_type"] = FieldOffset(&z, &z.DataType);
        m["offsetof z_stream.adler"] = FieldOffset(&z, &z.Adler);
        m["offsetof z_stream.reserved"] = FieldOffset(&z, &z.Reserved);

        m["sizeof statx"] = LibC.StatxSize;
        m["offsetof statx.stx_uid"] = LibC.StatxUidOffset;
        m["offsetof statx.stx_mode"] = LibC.StatxModeOffset;

        void Const(string name, long value) => m["const " + name] = value;
        Const("AT_FDCWD", LibC.AT_FDCWD); Const("AT_SYMLINK_NOFOLLOW", LibC.AT_SYMLINK_NOFOLLOW);
        Const("STATX_TYPE", LibC.STATX_TYPE); Const("STATX_MODE", LibC.STATX_MODE); Const("STATX_UID", LibC.STATX_UID);
        Const("S_IFMT", LibC.S_IFMT); Const("S_IFDIR", LibC.S_IFDIR); Const("S_IFSOCK", LibC.S_IFSOCK);
        Const("ENOENT", LibC.ENOENT); Const("EINTR", LibC.EINTR); Const("EIO", LibC.EIO);
        Const("ECHILD", LibC.ECHILD); Const("EAGAIN", LibC.EAGAIN);
        Const("O_RDONLY", LibC.O_RDONLY); Const("O_RDWR", LibC.O_RDWR); Const("O_NOCTTY", LibC.O_NOCTTY);
        Const("O_NONBLOCK", LibC.O_NONBLOCK); Const("O_CLOEXEC", LibC.O_CLOEXEC);
        Const("F_SETFD", LibC.F_SETFD); Const("F_DUPFD_CLOEXEC", LibC.F_DUPFD_CLOEXEC); Const("F_GETFL", LibC.F_GETFL); Const("F_SETFL", LibC.F_SETFL);
        Const("TIOCGWINSZ", (long)LibC.TIOCGWINSZ); Const("TIOCSWINSZ", (long)LibC.TIOCSWINSZ);
        Const("TCSANOW", Termios.TCSANOW); Const("TCSADRAIN", Termios.TCSADRAIN);
        Const("IUTF8", TerminalAttributes.IUTF8); Const("ISIG", TerminalAttributes.ISIG);
        Const("ICANON", TerminalAttributes.ICANON); Const("ECHO", TerminalAttributes.ECHO);
        Const("ICRNL", TerminalAttributes.ICRNL); Const("OPOST", TerminalAttributes.OPOST);
        Const("POSIX_SPAWN_SETSIGDEF", LibC.POSIX_SPAWN_SETSIGDEF);
        Const("POSIX_SPAWN_SETSIGMASK", LibC.POSIX_SPAWN_SETSIGMASK);
        Const("POSIX_SPAWN_SETSID", LibC.POSIX_SPAWN_SETSID);
        Const("SIGPIPE", LibC.SIGPIPE); Const("SIG_DFL", LibC.SIG_DFL); Const("SIG_IGN", LibC.SIG_IGN);
        Const("WNOHANG", LibC.WNOHANG);
        Const("POLLIN", (long)PollEvents.Readable); Const("POLLPRI", (long)PollEvents.Priority);
        Const("POLLOUT", (long)PollEvents.Writable); Const("POLLERR", (long)PollEvents.Error);
        Const("POLLHUP", (long)PollEvents.HangUp); Const("POLLNVAL", (long)PollEvents.InvalidDescriptor);
        Const("LC_ALL", LibC.LC_ALL); Const("CODESET", LibC.CODESET);
        Const("IPPROTO_IP", LibC.IPPROTO_IP); Const("IP_TOS", LibC.IP_TOS);
        Const("IP_MTU_DISCOVER", LibC.IP_MTU_DISCOVER); Const("IP_RECVTOS", LibC.IP_RECVTOS);
        Const("IP_PMTUDISC_DONT", LibC.IP_PMTUDISC_DONT);
        Const("MSG_DONTWAIT", LibC.MSG_DONTWAIT); Const("IF_NAMESIZE", LibC.IF_NAMESIZE);
        Const("USER_PROCESS", LibC.USER_PROCESS); Const("LOG_INFO", LibC.LOG_INFO);
        Const("Z_NO_FLUSH", ZLib.Z_NO_FLUSH); Const("Z_FINISH", ZLib.Z_FINISH); Const("Z_OK", ZLib.Z_OK);
        Const("Z_STREAM_END", ZLib.Z_STREAM_END); Const("Z_NEED_DICT", ZLib.Z_NEED_DICT);
        Const("Z_BUF_ERROR", ZLib.Z_BUF_ERROR); Const("Z_DEFAULT_COMPRESSION", ZLib.Z_DEFAULT_COMPRESSION);
        return m;
    }

    private static long Offset<TStruct, TField>(ref TStruct owner, ref TField field) =>
        Unsafe.ByteOffset(ref Unsafe.As<TStruct, byte>(ref owner), ref Unsafe.As<TField, byte>(ref field));

    private static long FieldOffset(void* owner, void* field) => (byte*)field - (byte*)owner;

    private static string TripleOf(Architecture architecture)
    {
        foreach ((Architecture a, string triple) in Targets)
        {
            if (a == architecture)
            {
                return triple;
            }
        }

        Assert.Ignore($"no C target known for {architecture}");
        return string.Empty;
    }

    /// <summary>Compiles LibCLayouts.c for <paramref name="triple"/> and runs it; its lines as name -> value.</summary>
    private static Dictionary<string, long> RunHeaderProbe(string triple, bool emulated)
    {
        string source = Path.Combine(TestContext.CurrentContext.TestDirectory, "Util", "LibCLayouts.c");
        string output = Path.Combine(Path.GetTempPath(), $"mosh-libc-layouts-{triple}-{Environment.ProcessId}");
        try
        {
            (int compiled, string compileText) = Run("clang",
                ["--target=" + triple, "-fuse-ld=lld", "-O0", "-Wall", "-Werror", "-o", output, source]);
            if (compiled != 0)
            {
                if (emulated)
                {
                    Assert.Ignore($"cannot build for {triple} here (./configure.sh installs the multiarch "
                        + $"headers as root): {compileText.Trim()}");
                }

                Assert.Fail($"clang for {triple} failed:\n{compileText}");
            }

            if (emulated && !Qemu.CanRun(triple))
            {
                Assert.Ignore(Qemu.WhyNot(triple) ?? string.Empty);
            }

            (int status, string text) = Run(output, []);
            Assert.That(status, Is.Zero, text);
            var values = new Dictionary<string, long>();
            foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int space = line.LastIndexOf(' ');
                values[line[..space]] = long.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }

            Assert.That(values, Has.Count.GreaterThan(100), "the probe printed too little:\n" + text);
            return values;
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static (int Status, string Output) Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
