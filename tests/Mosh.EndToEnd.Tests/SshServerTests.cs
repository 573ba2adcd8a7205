using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd;

[TestFixture]
internal sealed class SshServerTests
{
    [Test]
    public async Task Ssh_with_the_throwaway_key_runs_a_command_as_root_on_the_fixture()
    {
        await using SshServer sshd = await SshServer.StartAsync();

        ProcessResult result = await sshd.RunAsync("echo ok; id -u");

        Assert.That(result.EnsureSuccess().Stdout, Is.EqualTo("ok\n0\n"));
        Assert.That(sshd.Log, Does.Contain("Accepted publickey for root"));
    }

    [Test]
    public async Task Sessions_get_the_fixture_environment_and_accept_client_variables()
    {
        await using SshServer sshd = await SshServer.StartAsync(new Dictionary<string, string> { ["FIXTURE_VAR"] = "from-sshd" });

        ProcessResult result = await ProcessRunner.RunAsync(new ProcessSpec(
            SshServer.SshPath,
            [.. sshd.ClientArguments, "-o", "SetEnv=MOSH_FROM_CLIENT=yes", SshServer.Destination, "echo $FIXTURE_VAR $MOSH_FROM_CLIENT"]));

        Assert.That(result.EnsureSuccess().Stdout, Is.EqualTo("from-sshd yes\n"));
    }

    [Test]
    public async Task Disposal_kills_daemons_started_over_ssh()
    {
        int daemonPid;
        await using (SshServer sshd = await SshServer.StartAsync())
        {
            ProcessResult result = await sshd.RunAsync("setsid sleep 60 </dev/null >/dev/null 2>&1 & echo $!");
            daemonPid = int.Parse(result.EnsureSuccess().Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(ProcessTag.IsGone(daemonPid), Is.False);
        }

        await Poll.UntilAsync(() => ProcessTag.IsGone(daemonPid), TimeSpan.FromSeconds(10), "the daemon to die");
    }
}
