using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd;

[TestFixture]
internal sealed class ProcessRunnerTests
{
    [Test]
    public async Task Run_captures_stdout_stderr_and_exit_code()
    {
        ProcessResult result = await ProcessRunner.RunAsync("/bin/sh", "-c", "echo out; echo err >&2; exit 7");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(7));
            Assert.That(result.Stdout, Is.EqualTo("out\n"));
            Assert.That(result.Stderr, Is.EqualTo("err\n"));
            Assert.That(result.TimedOut, Is.False);
        });
    }

    [Test]
    public async Task Run_passes_environment_and_stdin()
    {
        var spec = new ProcessSpec("/bin/sh", "-c", "read line; echo \"$FOO:$line\"")
        {
            Environment = new Dictionary<string, string?> { ["FOO"] = "bar" },
            StandardInput = "typed\n",
        };

        ProcessResult result = await ProcessRunner.RunAsync(spec);

        Assert.That(result.EnsureSuccess().Stdout, Is.EqualTo("bar:typed\n"));
    }

    [Test]
    public async Task Run_kills_a_command_that_outlives_its_timeout()
    {
        var started = DateTime.UtcNow;

        ProcessResult result = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sleep", "30"), TimeSpan.FromMilliseconds(300));

        Assert.Multiple(() =>
        {
            Assert.That(result.TimedOut, Is.True);
            Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(15)));
            Assert.That(() => result.EnsureSuccess(), Throws.InvalidOperationException);
        });
    }

    [Test]
    public async Task Disposing_a_started_process_kills_its_children()
    {
        int childPid;
        await using (RunningProcess process = ProcessRunner.Start(new ProcessSpec("/bin/sh", "-c", "sleep 60 & echo $!; wait")))
        {
            await process.WaitForOutputAsync(o => o.Contains('\n', StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the child's pid");
            childPid = int.Parse(process.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(ProcessTag.IsGone(childPid), Is.False);
        }

        await Poll.UntilAsync(() => ProcessTag.IsGone(childPid), TimeSpan.FromSeconds(10), "the child to die");
    }

    [Test]
    public async Task Process_tag_finds_and_kills_a_detached_daemon()
    {
        var tag = new ProcessTag();
        // setsid + double fork: the daemon is no longer our descendant, as with mosh-server.
        ProcessResult started = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", "-c", "setsid sleep 60 </dev/null >/dev/null 2>&1 & echo $!")
        {
            Environment = new Dictionary<string, string?> { [ProcessTag.VariableName] = tag.Value },
        });
        int daemonPid = int.Parse(started.EnsureSuccess().Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Poll.UntilAsync(() => tag.FindProcesses().Contains(daemonPid), TimeSpan.FromSeconds(10), "the tagged daemon");

        await tag.KillAllAsync(TimeSpan.FromSeconds(2));

        await Poll.UntilAsync(() => ProcessTag.IsGone(daemonPid), TimeSpan.FromSeconds(10), "the daemon to die");
        Assert.That(tag.FindProcesses(), Is.Empty);
    }

    [Test]
    public async Task Process_tag_kills_a_process_it_saw_even_when_its_environment_no_longer_shows_the_tag()
    {
        // A process inside execve shows an empty environment for a moment; this one loses its tag for good by
        // exec'ing with a cleared environment once it has been seen, which the teardown must survive as well.
        var tag = new ProcessTag();
        string gate = Path.Combine(Path.GetTempPath(), "mosh-e2e-gate-" + tag.Value);
        ProcessResult started = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", "-c",
            $"setsid sh -c 'while [ ! -e {gate} ]; do sleep 0.05; done; exec env -i sleep 60' </dev/null >/dev/null 2>&1 & echo $!")
        {
            Environment = new Dictionary<string, string?> { [ProcessTag.VariableName] = tag.Value },
        });
        int daemonPid = int.Parse(started.EnsureSuccess().Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await Poll.UntilAsync(() => tag.FindProcesses().Contains(daemonPid), TimeSpan.FromSeconds(10), "the tagged daemon");
            File.WriteAllText(gate, "");
            await Poll.UntilAsync(() => !tag.FindProcesses().Contains(daemonPid) && !ProcessTag.IsGone(daemonPid), TimeSpan.FromSeconds(10), "the daemon to lose its tag");

            await tag.KillAllAsync(TimeSpan.FromSeconds(2));

            await Poll.UntilAsync(() => ProcessTag.IsGone(daemonPid), TimeSpan.FromSeconds(10), "the daemon to die");
        }
        finally
        {
            File.Delete(gate);
            if (!ProcessTag.IsGone(daemonPid))
            {
                ProcessTag.Signal(daemonPid, 9);
            }
        }
    }
}
