using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mosh.EndToEnd.Wrapper;

/// <summary>The published <c>mosh</c> run for real, with scripts standing in for ssh and mosh-client.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class WrapperProcessTests
{
    private const string Key = "abcdefghijklmnopqrstuv";
    private string _dir = "";

    [SetUp]
    public void CreateScratchDirectory()
    {
        PublishedBinaries.Require("mosh");
        _dir = Directory.CreateTempSubdirectory("mosh-wrapper-test-").FullName;
    }

    [TearDown]
    public void RemoveScratchDirectory() => Directory.Delete(_dir, recursive: true);

    private string Script(string name, string body)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>A fake ssh that records its argv (one per line) and environment, then prints <paramref name="output"/>.</summary>
    private string FakeSsh(string output) => Script("fake-ssh",
        $"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{_dir}/ssh-argv'\n" +
        $"printf 'SHELL=%s\\nMOSH_CLIENT_PID=%s\\nMOSH_PREDICTION_DISPLAY=%s\\n' \"$SHELL\" \"$MOSH_CLIENT_PID\" \"${{MOSH_PREDICTION_DISPLAY-unset}}\" > '{_dir}/ssh-env'\n" +
        output);

    /// <summary>A fake mosh-client: answers -c with 256, otherwise records argv, the mosh variables and its own pid.</summary>
    private string FakeClient() => Script("fake-client",
        "if [ \"$1\" = -c ]; then echo 256; exit 0; fi\n" +
        $"{{ for a in \"$@\"; do printf '%s\\n' \"$a\"; done; " +
        "printf 'KEY=%s\\nPREDICT=%s\\nOVERWRITE=%s\\nNOINIT=%s\\nCLIENTPID=%s\\nSELF=%s\\n' " +
        "\"$MOSH_KEY\" \"$MOSH_PREDICTION_DISPLAY\" \"$MOSH_PREDICTION_OVERWRITE\" \"$MOSH_NO_TERM_INIT\" \"$MOSH_CLIENT_PID\" \"$$\"; " +
        $"}} > '{_dir}/client-record'\n");

    private static Dictionary<string, string?> CleanLocale(params (string, string?)[] extra)
    {
        var env = new Dictionary<string, string?>();
        foreach (string name in Mosh.Wrapper.ServerInvocation.LocaleVariables)
        {
            env[name] = null;
        }
        env["MOSH_PREDICTION_DISPLAY"] = null;
        env["MOSH_PREDICTION_OVERWRITE"] = null;
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }
        return env;
    }

    private string[] Lines(string file) => File.ReadAllText(Path.Combine(_dir, file)).TrimEnd('\n').Split('\n');

    [Test]
    public void Runs_ssh_with_the_proxy_and_quoted_server_command_then_becomes_the_client_with_the_key_only_in_the_environment()
    {
        string ssh = FakeSsh($"printf 'Welcome!\\r\\nMOSH IP 192.0.2.7\\r\\n\\r\\nMOSH CONNECT 60123 {Key}\\r\\n'\n");
        string client = FakeClient();
        string mosh = PublishedBinaries.PathOf("mosh");
        var result = PublishedBinaries.Run(mosh,
            [$"--ssh={ssh} -p 2222", $"--client={client}", "-o", "--no-init", "--predict=always", "user@example", "--", "echo", "it's"],
            CleanLocale(("LANG", "C.UTF-8"), ("SHELL", "/bin/bash")));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        Assert.That(result.StandardOutput, Is.EqualTo("Welcome!\r\n\r\n"), "only foreign lines are relayed");
        Assert.That(Lines("ssh-argv"), Is.EqualTo(new[]
        {
            "-p", "2222", "-n", "-tt", "-S", "none", "-o",
            $"ProxyCommand='{mosh}' '--family=prefer-inet' --fake-proxy -- %h %p",
            "user@example", "--", "mosh-server 'new' '-c' '256' '-s' '-l' 'LANG=C.UTF-8' '--' 'echo' 'it'\\''s'",
        }));
        string[] sshEnv = Lines("ssh-env");
        Assert.That(sshEnv[0], Is.EqualTo("SHELL=/bin/sh"), "proxy mode runs ssh with a plain shell");
        Assert.That(sshEnv[2], Is.EqualTo("MOSH_PREDICTION_DISPLAY=unset"));

        string[] record = Lines("client-record");
        Assert.Multiple(() =>
        {
            Assert.That(record[0], Is.EqualTo($"-# --ssh={ssh} -p 2222 --client={client} -o --no-init --predict=always user@example -- echo it's |"));
            Assert.That(record[1..3], Is.EqualTo(new[] { "192.0.2.7", "60123" }));
            Assert.That(record[3], Is.EqualTo($"KEY={Key}"));
            Assert.That(record[4..7], Is.EqualTo(new[] { "PREDICT=always", "OVERWRITE=yes", "NOINIT=1" }));
            Assert.That(record[7][("CLIENTPID=".Length)..], Is.EqualTo(record[8]["SELF=".Length..]),
                "the client replaced the wrapper (same pid as MOSH_CLIENT_PID)");
            Assert.That(sshEnv[1], Is.EqualTo("MOSH_CLIENT_PID=" + record[8]["SELF=".Length..]));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "ssh-argv")), Does.Not.Contain(Key));
        });
    }

    [Test]
    public void Remote_ip_mode_uses_the_address_from_SSH_CONNECTION_and_warns()
    {
        string ssh = FakeSsh($"printf '\\nMOSH SSH_CONNECTION 192.0.2.1 40000 198.51.100.9 22\\nMOSH CONNECT 60001 {Key}\\n'\n");
        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"),
            [$"--ssh={ssh}", $"--client={FakeClient()}", "--experimental-remote-ip=remote", "-4", "--no-ssh-pty", "h"], CleanLocale());
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        Assert.That(result.StandardError, Does.Contain("Using remote IP address 198.51.100.9 from $SSH_CONNECTION for hostname h"));
        Assert.That(Lines("ssh-argv")[..2], Is.EqualTo(new[] { "-n", "-4" }));
        Assert.That(Lines("client-record")[1], Is.EqualTo("198.51.100.9"));
    }

    [Test]
    public void Local_ip_mode_resolves_the_host_here_and_keeps_the_user()
    {
        string ssh = FakeSsh($"printf 'MOSH CONNECT 60001 {Key}\\n'\n");
        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"),
            [$"--ssh={ssh}", $"--client={FakeClient()}", "--experimental-remote-ip=local", "me@127.0.0.1"], CleanLocale());
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        string[] argv = Lines("ssh-argv");
        Assert.That(argv, Does.Contain("me@127.0.0.1").And.Not.Contain("-S"));
        Assert.That(Lines("client-record")[1], Is.EqualTo("127.0.0.1"));
    }

    [TestCase("", "Did not find remote IP address (is SSH ProxyCommand disabled?).", 10)]
    [TestCase("printf 'MOSH IP 192.0.2.7\\n'", "Did not find mosh server startup message. (Have you installed mosh on your server?)", 10)]
    [TestCase("printf 'MOSH IP 1.2.3.4\\nMOSH IP 1.2.3.4\\n'", "error: detected attempt to redefine MOSH IP.", 29)]
    [TestCase("printf 'MOSH IP 1.2.3.4\\nMOSH CONNECT 1 short\\n'", "Bad MOSH CONNECT string: MOSH CONNECT 1 short", 29)]
    public void Missing_or_malformed_startup_lines_fail_with_upstreams_message_and_status(string output, string message, int status)
    {
        string ssh = FakeSsh(output + "\n");
        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"), [$"--ssh={ssh}", $"--client={FakeClient()}", "h"], CleanLocale());
        Assert.That(result.ExitCode, Is.EqualTo(status));
        Assert.That(result.StandardError, Does.Contain(message));
    }

    [Test]
    public void Missing_ssh_is_reported_then_explained_like_upstream()
    {
        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"), ["--ssh=/nonexistent/ssh", $"--client={FakeClient()}", "h"], CleanLocale());
        Assert.That(result.StandardOutput, Is.EqualTo("Cannot exec /nonexistent/ssh: No such file or directory\n"));
        Assert.That(result.StandardError, Does.Contain("Did not find remote IP address"));
        Assert.That(result.ExitCode, Is.EqualTo(10));
    }

    [Test]
    public void Missing_client_means_the_colours_cannot_be_counted()
    {
        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"), ["--client=no-such-mosh-client", "h"], CleanLocale());
        Assert.That(result.StandardError, Is.EqualTo("Can't count colors: No such file or directory\n"));
        Assert.That(result.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Client_is_found_next_to_the_wrapper_before_PATH()
    {
        // A copy of the wrapper with a fake mosh-client beside it; PATH holds only a decoy that would fail.
        string bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        File.Copy(PublishedBinaries.PathOf("mosh"), Path.Combine(bin, "mosh"));
        File.SetUnixFileMode(Path.Combine(bin, "mosh"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.Move(FakeClient(), Path.Combine(bin, "mosh-client"));
        string decoys = Directory.CreateDirectory(Path.Combine(_dir, "decoys")).FullName;
        File.Move(Script("decoy", "exit 7\n"), Path.Combine(decoys, "mosh-client"));
        string ssh = FakeSsh($"printf 'MOSH IP 192.0.2.7\nMOSH CONNECT 60001 {Key}\n'\n");

        var result = PublishedBinaries.Run(Path.Combine(bin, "mosh"), [$"--ssh={ssh}", "h"],
            CleanLocale(("PATH", decoys + ":/usr/bin:/bin")));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        Assert.That(Lines("client-record")[1], Is.EqualTo("192.0.2.7"));
        Assert.That(Lines("ssh-argv")[^1], Does.StartWith("mosh-server 'new' '-c' '256'"), "the remote server keeps its plain name");
    }

    [Test]
    public void Local_mode_runs_the_server_beside_the_wrapper_from_home_without_SSH_CONNECTION()
    {
        string bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        File.Copy(PublishedBinaries.PathOf("mosh"), Path.Combine(bin, "mosh"));
        File.SetUnixFileMode(Path.Combine(bin, "mosh"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.Move(Script("server",
            $"{{ for a in \"$@\"; do printf '%s\\n' \"$a\"; done; pwd; echo \"SSH=${{SSH_CONNECTION-unset}}\"; }} > '{_dir}/server-record'\n" +
            $"printf 'MOSH CONNECT 60002 {Key}\\n'\n"), Path.Combine(bin, "mosh-server"));
        string home = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;

        var result = PublishedBinaries.Run(Path.Combine(bin, "mosh"), [$"--client={FakeClient()}", "--local", "127.0.0.1", "--", "top"],
            CleanLocale(("HOME", home), ("SSH_CONNECTION", "192.0.2.1 1 192.0.2.2 22")));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        Assert.That(Lines("server-record"), Is.EqualTo(new[] { "new", "-c", "256", "-i", "127.0.0.1", "--", "top", home, "SSH=unset" }));
        Assert.That(Lines("client-record")[1..3], Is.EqualTo(new[] { "127.0.0.1", "60002" }));
    }

    [Test]
    public void Server_without_port_range_support_is_explained()
    {
        string ssh = FakeSsh("printf 'MOSH IP 1.2.3.4\\nmosh-server: Bad UDP port range (6:7)\\n'\n");
        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"), [$"--ssh={ssh}", $"--client={FakeClient()}", "-p", "6:7", "h"], CleanLocale());
        Assert.That(result.ExitCode, Is.EqualTo(10));
        Assert.That(result.StandardError, Does.Contain("Server does not support UDP port range option."));
    }

    [Test]
    public void Bad_options_exit_255_with_the_message_and_usage()
    {
        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"), ["--bogus", "host"]);
        Assert.That(result.ExitCode, Is.EqualTo(255));
        Assert.That(result.StandardError, Does.StartWith("Unknown option: bogus\nUsage: "));
        var port = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"), ["-p", "5:3", "host"]);
        Assert.That(port.ExitCode, Is.EqualTo(255));
        Assert.That(port.StandardError, Does.EndWith(": Server-side port range (5:3): low port greater than high port.\n"));
    }

    [Test]
    public void Fake_proxy_reports_the_address_it_reached_and_relays_both_ways()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task<string> server = Task.Run(() =>
        {
            using TcpClient peer = listener.AcceptTcpClient();
            NetworkStream stream = peer.GetStream();
            stream.Write("SSH-2.0-test\r\n"u8);
            using var received = new MemoryStream();
            stream.CopyTo(received);
            peer.Client.Shutdown(SocketShutdown.Send);
            return Encoding.ASCII.GetString(received.ToArray());
        });

        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"), ["--family=inet", "--fake-proxy", "--", "localhost", port.ToString()],
            standardInput: "hello from ssh\n");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        Assert.That(result.StandardError, Is.EqualTo("MOSH IP 127.0.0.1\n"));
        Assert.That(result.StandardOutput, Is.EqualTo("SSH-2.0-test\r\n"));
        Assert.That(server.Result, Is.EqualTo("hello from ssh\n"));
    }

    [Test]
    public void Fake_proxy_that_cannot_connect_says_so()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh"), ["--fake-proxy", "--", "127.0.0.1", port.ToString()]);
        Assert.That(result.ExitCode, Is.EqualTo(255));
        Assert.That(result.StandardError, Does.Contain("Could not connect to 127.0.0.1, last tried 127.0.0.1"));
    }
}
