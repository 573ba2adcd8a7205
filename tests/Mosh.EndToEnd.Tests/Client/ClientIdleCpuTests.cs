using System.Diagnostics;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Client;

/// <summary>
/// An idle mosh-client sleeps: its loop waits for the next thing due. After the "Nothing received from server"
/// message of a slow start went away, the bar's wait time stayed 0 (its expiration was in the past), so the client
/// polled without sleeping at full CPU for the rest of the session.
/// </summary>
[TestFixture]
internal sealed class ClientIdleCpuTests
{
    [Test]
    public async Task After_a_slow_start_the_idle_client_sleeps_instead_of_spinning()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        // The server is silent for the client's first second: the bar says so, then the message expires.
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            configureRelay: (_, relay) => relay.BlackoutFor(TimeSpan.FromSeconds(1.5)));
        await session.RunCommandAsync("idle-ready");
        await Task.Delay(TimeSpan.FromSeconds(2)); // past the message's expiry

        int client = await session.Client.PanePidAsync();
        long before = ProcessTag.CpuTicks(client);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        long used = ProcessTag.CpuTicks(client) - before;
        TestContext.Progress.WriteLine($"idle client: {used * 10} ms of CPU in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.That(used, Is.LessThanOrEqualTo(30), $"{used * 10} ms of CPU in 3 s while idle");
    }
}
