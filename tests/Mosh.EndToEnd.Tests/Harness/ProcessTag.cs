using System.Globalization;
using System.Runtime.InteropServices;
using Mosh.Util;
using System.Text;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// Marks processes the test starts with a unique environment variable so that teardown can find and kill every
/// one of them, including daemons that detached (mosh-server forks away from its parent; a server started over
/// ssh is not even our descendant). Only processes carrying this exact tag are touched.
/// </summary>
internal sealed partial class ProcessTag
{
    public const string VariableName = "MOSH_E2E_TAG";

    private const int SigTerm = 15;
    private const int SigKill = 9;

    public ProcessTag()
    {
        Value = Guid.NewGuid().ToString("N");
    }

    public string Value { get; }

    public KeyValuePair<string, string?> Variable => new(VariableName, Value);

    // Every tagged process ever found, with its start time: a lookup of /proc/PID/environ reads nothing while the
    // process is inside execve (a daemon found as `setsid` can be missed a moment later as it becomes `sleep`), so
    // teardown also kills those seen before. The start time keeps a reused pid from being touched.
    private readonly Dictionary<int, long> _seen = [];

    /// <summary>Pids of live (non-zombie) processes whose environment carries this tag.</summary>
    public IReadOnlyList<int> FindProcesses()
    {
        byte[] needle = Encoding.ASCII.GetBytes($"{VariableName}={Value}\0");
        var found = new List<int>();
        int self = Environment.ProcessId;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == self)
            {
                continue;
            }
            try
            {
                byte[] environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environ.AsSpan().IndexOf(needle) >= 0 && !IsZombie(pid))
                {
                    found.Add(pid);
                    long started = StartTime(pid);
                    if (started >= 0)
                    {
                        lock (_seen)
                        {
                            _seen[pid] = started;
                        }
                    }
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>SIGTERM to every tagged process, a short grace period, then SIGKILL to survivors.</summary>
    public async Task KillAllAsync(TimeSpan grace)
    {
        IReadOnlyList<int> pids = FindProcesses().Union(SeenAndStillRunning()).ToList();
        if (pids.Count == 0)
        {
            return;
        }
        foreach (int pid in pids)
        {
            _ = LibC.Kill(pid, SigTerm);
        }
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && FindProcesses().Count > 0)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }
        // Survivors get SIGKILL: those still found by their tag, and those first found that are not gone (a lookup
        // of /proc/PID/environ can miss a process under load, and a missed survivor would outlive the test).
        foreach (int pid in FindProcesses().Union(pids).Union(SeenAndStillRunning()))
        {
            if (!IsGone(pid))
            {
                _ = LibC.Kill(pid, SigKill);
            }
        }
    }

    private List<int> SeenAndStillRunning()
    {
        var running = new List<int>();
        lock (_seen)
        {
            foreach ((int pid, long started) in _seen)
            {
                if (StartTime(pid) == started && !IsGone(pid))
                {
                    running.Add(pid);
                }
            }
        }
        return running;
    }

    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot), or -1 when the process is gone.</summary>
    private static long StartTime(int pid)
    {
        try
        {
            return long.Parse(StatFields(pid)[19], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>True when the process no longer runs (gone, or a zombie nobody reaped yet).</summary>
    public static bool IsGone(int pid) => !Directory.Exists($"/proc/{pid}") || IsZombie(pid);

    public static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && (stat[close + 2] == 'Z' || stat[close + 2] == 'X');
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static void Signal(int pid, int signal) => _ = LibC.Kill(pid, signal);

    /// <summary>utime + stime of a process, in clock ticks (10 ms).</summary>
    public static long CpuTicks(int pid)
    {
        string[] fields = StatFields(pid);
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>The fields of /proc/PID/stat after the command name: index 0 is field 3 (the state).</summary>
    private static string[] StatFields(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
