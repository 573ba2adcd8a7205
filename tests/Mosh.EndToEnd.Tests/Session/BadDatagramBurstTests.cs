using System.Diagnostics;
using Mosh.Crypto;
using Mosh.EndToEnd.Harness;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// A key holder's burst of authentic datagrams that carry another protocol version (each one upstream's server, and
/// ours before, met with "mosh protocol version mismatch" and, after the tenth, a 100 ms sleep that never reset:
/// 200 of them stalled the session for 19 s) delays the session by about a second at most: the good datagrams
/// behind them are handled in the same batch, and a good one ends the back-off.
/// </summary>
[TestFixture]
[NonParallelizable]
public class BadDatagramBurstTests
{
    private const int BurstDatagrams = 200;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>Generous for a loaded 2-core machine; the stall it guards against was 19 s.</summary>
    private static readonly TimeSpan MostDelay = TimeSpan.FromSeconds(4);

    [Test]
    public async Task A_burst_of_datagrams_of_another_protocol_version_delays_the_session_by_about_a_second_at_most()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        await session.RunCommandAsync("before");
        var key = SessionKey.Parse(session.Server.Key);

        // Warm up the measurement: one round trip of a command, without the burst.
        var quiet = Stopwatch.StartNew();
        await session.RunCommandAsync("quiet");
        quiet.Stop();

        for (int i = 0; i < BurstDatagrams; i++)
        {
            await session.Relay.InjectAsync(RelayDirection.ToServer, Datagram(key, sequence: (ulong)i, instructionId: 5000 + (ulong)i));
        }

        var stopwatch = Stopwatch.StartNew();
        await session.RunCommandAsync("after", Generous);
        stopwatch.Stop();
        TestContext.Out.WriteLine($"command after {BurstDatagrams} bad datagrams: {stopwatch.ElapsedMilliseconds} ms (without: {quiet.ElapsedMilliseconds} ms)");
        Assert.That(stopwatch.Elapsed, Is.LessThan(MostDelay));
        Assert.That(session.Server.Log, Does.Not.Contain("Unhandled"));

        await session.Client.SendLineAsync("exit");
        Assert.That(await session.Client.WaitForExitAsync(Generous), Is.Zero);
    }

    /// <summary>One authentic datagram toward the server carrying an instruction of protocol version 1.</summary>
    private static byte[] Datagram(SessionKey key, ulong sequence, ulong instructionId)
    {
        var serialized = new System.Buffers.ArrayBufferWriter<byte>();
        new TransportInstruction { ProtocolVersion = 1, OldNum = 0, NewNum = 1, AckNum = 0, ThrowawayNum = 0, Diff = [] }.WriteTo(serialized);
        using var compressor = new Compressor();
        byte[] compressed = new byte[Compressor.MaxCompressedLength(serialized.WrittenCount)];
        Assert.That(compressor.TryCompress(serialized.WrittenSpan, compressed, out int compressedLength), Is.True);
        byte[] plaintext = new byte[4 + Fragment.HeaderLength + compressedLength]; // timestamps (zero), then the fragment
        new Fragment(instructionId, 0, isFinal: true, compressed.AsSpan(0, compressedLength)).WriteTo(plaintext.AsSpan(4));
        using var crypto = new CryptoSession(key);
        byte[] datagram = new byte[plaintext.Length + CryptoSession.Overhead];
        crypto.Seal(NonceLayout.Compose(towardClient: false, sequence), plaintext, datagram);
        return datagram;
    }
}
