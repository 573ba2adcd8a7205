using System.Globalization;
using System.Text;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// The session key stays in the server's memory: no process of a session started with <c>mosh-server new</c> (the
/// detached server, the shell, the shell's children) shows it in /proc/PID/environ, /proc/PID/cmdline or
/// <c>ps eww</c>, which any program of the session (and, for cmdline, any user) can read. It used to reach the
/// detached server as MOSH_SERVER_DAEMON_KEY, which unsetting could not remove from /proc/PID/environ.
/// </summary>
[TestFixture]
[NonParallelizable]
public class SessionKeySecrecyTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Test]
    public async Task No_process_of_the_session_shows_the_key_in_its_environment_or_command_line()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshServer server = await MoshServer.StartAsync(ours);
        await using TmuxSession terminal = await MoshClient.StartAsync(ours.Client, server.Port, server.Key);
        await terminal.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Generous);
        // A child of the shell that outlives the command line.
        await terminal.SendLineAsync("sleep 600 & echo \"d\"\"one\"");
        await terminal.WaitForLineAsync("done", Generous);

        List<int> session = Descendants(server.Pid);
        Assert.That(session, Has.Count.GreaterThanOrEqualTo(3), "the server, the shell and sleep");
        Assert.That(session.Select(Command), Has.Some.EqualTo("sleep"), "the shell's child is in the session");

        byte[] key = Encoding.ASCII.GetBytes(server.Key);
        foreach (int pid in session)
        {
            foreach (string file in new[] { "environ", "cmdline" })
            {
                byte[] contents = await File.ReadAllBytesAsync($"/proc/{pid}/{file}");
                Assert.That(contents.AsSpan().IndexOf(key), Is.EqualTo(-1), $"the key in /proc/{pid}/{file} ({Command(pid)})");
            }
        }

        string pids = string.Join(",", session);
        ProcessResult ps = await ProcessRunner.RunAsync(new ProcessSpec("ps", ["eww", "-p", pids]), Generous);
        ps.EnsureSuccess();
        Assert.That(ps.Stdout, Does.Contain("sleep 600"), "ps eww lists the session's processes");
        Assert.That(ps.Stdout, Does.Not.Contain(server.Key), "ps eww shows the key");

        // Nothing lost on the way: the session still works after all that looking.
        await terminal.SendLineAsync("kill %1; exit");
        Assert.That(await terminal.WaitForExitAsync(Generous), Is.Zero);
    }

    private static string Command(int pid) =>
        File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : "";

    /// <summary><paramref name="root"/> and every process below it (walking PPid in /proc/PID/stat).</summary>
    private static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            int parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (!children.TryGetValue(parent, out List<int>? list))
            {
                children[parent] = list = [];
            }

            list.Add(pid);
        }

        var result = new List<int> { root };
        for (int i = 0; i < result.Count; i++)
        {
            if (children.TryGetValue(result[i], out List<int>? list))
            {
                result.AddRange(list);
            }
        }

        return result;
    }
}
