using System.Globalization;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.StateSync;

/// <summary>
/// The transport's debugging trace that upstream prints to stderr with <c>-v</c>, in its words: one line per
/// fragment sent, and one per state received new, out of order, or refused by a full queue. Each line starts with
/// the clock's milliseconds modulo 100000. A <see cref="TransportLink"/> without a trace pays one null check.
/// </summary>
internal sealed class TransportTrace
{
    private readonly Action<string> _write;
    private readonly IClock _clock;
    private readonly Func<int> _sendInterval;

    /// <param name="write">Takes each line (without its line end).</param>
    /// <param name="sendInterval">The sender's current frame interval in ms, for the frame rate.</param>
    public TransportTrace(Action<string> write, IClock clock, Func<int> sendInterval)
    {
        _write = write;
        _clock = clock;
        _sendInterval = sendInterval;
    }

    private long Stamp => _clock.NowMilliseconds % 100000;

    /// <summary>A fragment of <paramref name="instruction"/> went out.</summary>
    public void Sent(in TransportInstruction instruction, ulong fragmentId, int fragmentNumber, int contentLength,
        int timeoutMs, double srtt) =>
        _write(string.Create(CultureInfo.InvariantCulture,
            $"[{Stamp}] Sent [{AsCInt(instruction.OldNum)}=>{AsCInt(instruction.NewNum)}] id {AsCInt(fragmentId)}, frag {fragmentNumber} " +
            $"ack={AsCInt(instruction.AckNum)}, throwaway={AsCInt(instruction.ThrowawayNum)}, len={contentLength}, " +
            $"frame rate={1000.0 / _sendInterval():F2}, timeout={timeoutMs}, srtt={srtt:F1}"));

    /// <summary>An instruction was handled with <paramref name="outcome"/>; only the outcomes upstream reports
    /// print a line.</summary>
    public void Received(in TransportInstruction instruction, ReceiveOutcome outcome)
    {
        switch (outcome)
        {
            case ReceiveOutcome.Accepted:
                _write(string.Create(CultureInfo.InvariantCulture,
                    $"[{Stamp}] Received state {AsCInt(instruction.NewNum)} [coming from {AsCInt(instruction.OldNum)}, ack {AsCInt(instruction.AckNum)}]"));
                break;
            case ReceiveOutcome.AcceptedOutOfOrder:
                _write(string.Create(CultureInfo.InvariantCulture,
                    $"[{Stamp}] Received OUT-OF-ORDER state {AsCInt(instruction.NewNum)} [ack {AsCInt(instruction.AckNum)}]"));
                break;
            case ReceiveOutcome.Quenched:
                _write(string.Create(CultureInfo.InvariantCulture,
                    $"[{Stamp}] Receiver queue full, discarding {AsCInt(instruction.NewNum)} (malicious sender or long-unidirectional connectivity?)"));
                break;
        }
    }

    /// <summary>Upstream prints the 64-bit numbers through an (int) cast: the shutdown number 2^64-1 shows as -1.</summary>
    private static int AsCInt(ulong value) => unchecked((int)value);
}
