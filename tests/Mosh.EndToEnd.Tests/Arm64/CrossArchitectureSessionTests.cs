using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Arm64;

/// <summary>
/// Sessions across architectures: our aarch64 executables, cross-built and run under qemu-user, with x86-64 peers
/// (ours, and Debian's upstream mosh-client), through the harness's UDP relay. qemu is slow, so deadlines are long.
/// </summary>
[TestFixture]
internal sealed class CrossArchitectureSessionTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private static string Token() =>
        "arm-" + Random.Shared.Next(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture);

    [Test]
    public async Task Arm64_server_under_qemu_serves_our_x86_64_client()
    {
        MoshPrograms arm64 = Arm64Programs.RequireRunnable();
        await RunSessionAsync(server: arm64, client: MoshPrograms.RequireOurs(), serverEmulated: true);
    }

    [Test]
    public async Task Our_x86_64_server_serves_the_arm64_client_under_qemu()
    {
        MoshPrograms arm64 = Arm64Programs.RequireRunnable();
        await RunSessionAsync(server: MoshPrograms.RequireOurs(), client: arm64, serverEmulated: false);
    }

    [Test]
    public async Task Arm64_server_under_qemu_serves_upstreams_x86_64_client()
    {
        MoshPrograms arm64 = Arm64Programs.RequireRunnable();
        await RunSessionAsync(server: arm64, client: MoshPrograms.Upstream, serverEmulated: true);
    }

    private static async Task RunSessionAsync(MoshPrograms server, MoshPrograms client, bool serverEmulated)
    {
        Assert.That(Arm64Programs.ElfMachine(serverEmulated ? server.Server : client.Client),
            Is.EqualTo(Arm64Programs.ElfMachineAarch64), "the arm64 side is an aarch64 executable");

        await using MoshSession session = await MoshSession.StartAsync(server, client);
        Assert.That(Arm64Programs.RunsUnderQemu(session.Server.Pid), Is.EqualTo(serverEmulated),
            $"mosh-server {session.Server.Pid} runs under qemu: {serverEmulated}");

        // Keystrokes up, screen updates down, twice (the second after the first round trip has settled).
        await session.RunCommandAsync(Token(), CommandTimeout);
        await session.RunCommandAsync(Token(), CommandTimeout);
        await session.Client.SendLineAsync("exit");

        Assert.That(await session.Client.WaitForExitAsync(CommandTimeout), Is.Zero, "mosh-client exit status");
        await session.Server.WaitForExitAsync(CommandTimeout);
        TestContext.Out.WriteLine($"{server.Name} server, {client.Name} client: {session.Relay}");
    }
}
