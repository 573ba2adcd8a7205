using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// Debian's sshd on 127.0.0.1 with a throwaway host key, a throwaway user key for root and its own config; the
/// machine's ssh configuration is never read or touched (the client side gets <c>-F /dev/null</c>). Every session
/// carries the fixture's <see cref="ProcessTag"/> (sshd SetEnv), so daemons started over ssh (mosh-server) are
/// found and killed at disposal.
/// </summary>
internal sealed class SshServer : IAsyncDisposable
{
    public const string SshdPath = "/usr/sbin/sshd";
    public const string SshPath = "/usr/bin/ssh";
    private const string PrivilegeSeparationDirectory = "/run/sshd";

    private readonly TempDirectory directory;
    private readonly ProcessTag tag = new();
    private RunningProcess? daemon;

    private SshServer(TempDirectory directory)
    {
        this.directory = directory;
    }

    public int Port { get; private set; }

    public string UserKeyPath => directory.File("id_ed25519");

    public string LogPath => directory.File("sshd.log");

    public ProcessTag Tag => tag;

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>The ssh client arguments (before the destination) that reach this server as root.</summary>
    public IReadOnlyList<string> ClientArguments =>
    [
        "-F", "/dev/null",
        "-p", Port.ToString(CultureInfo.InvariantCulture),
        "-i", UserKeyPath,
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR",
        "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes",
    ];

    /// <summary>The ssh command line as one string, for <c>mosh --ssh=...</c> (no argument contains spaces).</summary>
    public string ClientCommandLine => SshPath + " " + string.Join(' ', ClientArguments);

    public const string Destination = "root@127.0.0.1";

    /// <summary>Starts sshd. <paramref name="sessionEnvironment"/> is set in every session (sshd SetEnv);
    /// sessions also accept LANG, LC_* and MOSH_* from clients (AcceptEnv, ssh -o SetEnv=...).</summary>
    public static async Task<SshServer> StartAsync(IReadOnlyDictionary<string, string>? sessionEnvironment = null)
    {
        var server = new SshServer(new TempDirectory("mosh-e2e-sshd-"));
        try
        {
            await server.GenerateKeysAsync().ConfigureAwait(false);
            Directory.CreateDirectory(PrivilegeSeparationDirectory);
            // Another process can take the free port before sshd binds it: retry with a new one.
            for (int attempt = 1; ; attempt++)
            {
                server.Port = FreePort.Tcp();
                server.WriteConfig(sessionEnvironment);
                if (await server.TryLaunchAsync().ConfigureAwait(false))
                {
                    return server;
                }
                if (attempt == 3)
                {
                    throw new InvalidOperationException($"sshd did not start; log:\n{server.Log}\nstderr:\n{server.daemon?.Stderr}");
                }
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a command on the server over ssh (as root).</summary>
    public Task<ProcessResult> RunAsync(string remoteCommand, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(new ProcessSpec(SshPath, [.. ClientArguments, Destination, remoteCommand]), timeout);

    private async Task GenerateKeysAsync()
    {
        (await ProcessRunner.RunAsync("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mosh-e2e-host", "-f", directory.File("host_ed25519")).ConfigureAwait(false)).EnsureSuccess();
        (await ProcessRunner.RunAsync("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mosh-e2e-user", "-f", UserKeyPath).ConfigureAwait(false)).EnsureSuccess();
        File.Copy(UserKeyPath + ".pub", directory.File("authorized_keys"));
    }

    private void WriteConfig(IReadOnlyDictionary<string, string>? sessionEnvironment)
    {
        var config = new StringBuilder();
        config.Append(CultureInfo.InvariantCulture, $"ListenAddress 127.0.0.1\nPort {Port}\n");
        config.Append(CultureInfo.InvariantCulture, $"HostKey {directory.File("host_ed25519")}\n");
        config.Append(CultureInfo.InvariantCulture, $"PidFile {directory.File("sshd.pid")}\n");
        config.Append(CultureInfo.InvariantCulture, $"AuthorizedKeysFile {directory.File("authorized_keys")}\n");
        config.Append("PermitRootLogin prohibit-password\nPubkeyAuthentication yes\nPasswordAuthentication no\n");
        config.Append("KbdInteractiveAuthentication no\nStrictModes no\nUsePAM no\nPrintMotd no\nPrintLastLog no\n");
        config.Append("AcceptEnv LANG LC_* MOSH_*\nLogLevel VERBOSE\n");
        var setEnv = new StringBuilder($"SetEnv {ProcessTag.VariableName}={tag.Value}");
        foreach ((string name, string value) in sessionEnvironment ?? new Dictionary<string, string>())
        {
            setEnv.Append(CultureInfo.InvariantCulture, $" \"{name}={value}\"");
        }
        config.Append(setEnv).Append('\n');
        File.WriteAllText(directory.File("sshd_config"), config.ToString());
    }

    private async Task<bool> TryLaunchAsync()
    {
        if (daemon is not null)
        {
            await daemon.DisposeAsync().ConfigureAwait(false);
        }
        File.Delete(LogPath);
        daemon = ProcessRunner.Start(new ProcessSpec(SshdPath, "-D", "-f", directory.File("sshd_config"), "-E", LogPath)
        {
            Environment = new Dictionary<string, string?> { [tag.Variable.Key] = tag.Variable.Value },
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.HasExited)
            {
                return false;
            }
            if (Log.Contains("Server listening on", StringComparison.Ordinal) && await AcceptsConnectionAsync().ConfigureAwait(false))
            {
                return true;
            }
            await Task.Delay(Poll.Interval).ConfigureAwait(false);
        }
        return false;
    }

    private async Task<bool> AcceptsConnectionAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (daemon is not null)
        {
            await daemon.DisposeAsync().ConfigureAwait(false);
        }
        await tag.KillAllAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        directory.Dispose();
    }
}
