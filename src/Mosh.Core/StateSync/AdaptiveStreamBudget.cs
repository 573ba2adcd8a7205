namespace Mosh.StateSync;

/// <summary>
/// The server's per-frame stream budget, adapted to the link: halved when a frame was lost (the sender fell back to
/// an older state after RTO, <see cref="TransportSender{TState}.Timeouts"/>), grown by a step for each newly
/// acknowledged state, between <see cref="Min"/> and <see cref="Max"/>. A frame travels as ~1.3 KiB datagrams and is
/// lost whole if one of them is, so at 10 % datagram loss a 48 KiB frame (~38 datagrams) almost never arrives while a
/// 4 KiB one mostly does; on a clean link the budget stays at the maximum.
/// </summary>
internal sealed class AdaptiveStreamBudget
{
    /// <summary>About one datagram's payload.</summary>
    public const int Min = 1024;

    public const int Max = CompleteTerminal.StreamFrameBudget;

    /// <summary>Growth per acknowledged state: about three datagrams.</summary>
    public const int Step = 4 * 1024;

    private long _timeouts;
    private ulong _acknowledged;

    public int Budget { get; private set; } = Max;

    /// <summary>Takes the sender's counters after a loop turn; returns the budget to use.</summary>
    public int Update(long timeouts, ulong acknowledgedStateNum)
    {
        if (timeouts > _timeouts)
        {
            Budget = Math.Max(Min, Budget >> (int)Math.Min(timeouts - _timeouts, 16));
        }
        else if (acknowledgedStateNum > _acknowledged)
        {
            Budget = Math.Min(Max, Budget + Step);
        }

        _timeouts = timeouts;
        _acknowledged = acknowledgedStateNum;
        return Budget;
    }

    /// <summary>A new client (attach): its link is unknown, start at the maximum.</summary>
    public void Reset()
    {
        Budget = Max;
        _timeouts = 0;
        _acknowledged = 0;
    }
}
