using System.Globalization;
using System.Runtime.InteropServices;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// A private network namespace (<c>ip netns add</c>) whose loopback is up with a chosen MTU, for paths the host's
/// own loopback cannot give (a small MTU). Programs run inside it through <see cref="Exec"/>; sockets of this test
/// process are made inside it with <see cref="Run{T}"/>. Disposal kills whatever still runs in it and deletes it;
/// namespaces left behind by a test process that died are deleted on the next <see cref="CreateAsync"/>.
/// </summary>
internal sealed partial class NetworkNamespace : IAsyncDisposable
{
    private const string Prefix = "mosh-e2e-";
    private const int CloneNewNet = 0x40000000;
    private const int SigKill = 9;
    private static int counter;

    private NetworkNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>The command prefix that runs a program inside the namespace.</summary>
    public IReadOnlyList<string> Exec => ["ip", "netns", "exec", Name];

    public static async Task<NetworkNamespace> CreateAsync(int loopbackMtu)
    {
        await DeleteOrphansAsync().ConfigureAwait(false);
        string name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref counter)}");
        await IpAsync("netns", "add", name).ConfigureAwait(false);
        var created = new NetworkNamespace(name);
        try
        {
            await IpAsync("-n", name, "link", "set", "lo", "mtu", loopbackMtu.ToString(CultureInfo.InvariantCulture), "up").ConfigureAwait(false);
            return created;
        }
        catch
        {
            await created.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/> on a new thread that has entered the namespace: sockets it creates
    /// live in the namespace for good, whichever thread uses them later.</summary>
    public T Run<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle("/run/netns/" + Name);
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { Name = "netns " + Name };
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException($"in network namespace {Name}", failure);
    }

    /// <summary>Pids of the processes in the namespace.</summary>
    public Task<IReadOnlyList<int>> PidsAsync() => PidsAsync(Name);

    private static async Task<IReadOnlyList<int>> PidsAsync(string name)
    {
        ProcessResult result = await ProcessRunner.RunAsync(new ProcessSpec("ip", "netns", "pids", name), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))];
    }

    public async ValueTask DisposeAsync() => await DeleteAsync(Name).ConfigureAwait(false);

    private static async Task DeleteAsync(string name)
    {
        foreach (int pid in await PidsAsync(name).ConfigureAwait(false))
        {
            ProcessTag.Signal(pid, SigKill);
        }
        await IpAsync("netns", "delete", name).ConfigureAwait(false);
    }

    private static async Task DeleteOrphansAsync()
    {
        ProcessResult list = await ProcessRunner.RunAsync(new ProcessSpec("ip", "netns", "list"), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        foreach (string line in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ')[0];
            if (name.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(Prefix.Length, name.IndexOf('-', Prefix.Length) - Prefix.Length), CultureInfo.InvariantCulture, out int owner)
                && ProcessTag.IsGone(owner))
            {
                await DeleteAsync(name).ConfigureAwait(false);
            }
        }
    }

    private static async Task IpAsync(params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync(new ProcessSpec("ip", arguments), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        result.EnsureSuccess();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);
}
