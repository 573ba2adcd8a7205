using System.Buffers;

namespace Mosh.StateSync;

/// <summary>
/// Upstream's verbose self-check of every diff the sender computes: the diff is applied to a copy of the state the
/// receiver is assumed to hold, and the result must come out as the state being sent (the round trip,
/// <see cref="ISyncState{TSelf}.RoundTripsTo"/>) and draw the same init diff from the empty state (the target
/// state). Failures print upstream's warnings, a failed round trip after the state's account of what differs;
/// nothing is printed otherwise. Only a verbose sender has one (<see cref="TransportSender{TState}.Verifier"/>), so
/// a quiet sender pays a null check.
/// </summary>
/// <remarks>
/// The two init diffs go to buffers kept between checks; the copy and the states' own diff machinery still
/// allocate, which verbose mode may.
/// </remarks>
internal sealed class SentDiffVerifier<TState>
    where TState : class, ISyncState<TState>
{
    /// <summary>Applying the diff to the assumed receiver state did not give the state being sent.</summary>
    public const string RoundTripFailed = "Warning, round-trip Instruction verification failed!";

    /// <summary>The rebuilt state and the state being sent draw different init diffs.</summary>
    public const string TargetStateFailed = "Warning, target state Instruction verification failed!";

    private readonly Action<string> _write;
    private readonly ArrayBufferWriter<byte> _currentInitDiff = new();
    private readonly ArrayBufferWriter<byte> _rebuiltInitDiff = new();

    /// <param name="write">Takes each warning (without its line end).</param>
    public SentDiffVerifier(Action<string> write) => _write = write;

    /// <summary>Checks, as upstream does before deciding whether to send, that <paramref name="diff"/> turns
    /// <paramref name="assumedReceiverState"/> into <paramref name="current"/>. Returns whether both checks passed.</summary>
    public bool Verify(TState assumedReceiverState, ReadOnlySpan<byte> diff, TState current)
    {
        TState rebuilt = assumedReceiverState.Clone();
        // A diff the receiver would refuse leaves the copy unchanged: a failed round trip unless nothing changed.
        _ = rebuilt.TryApply(diff);

        bool roundTrip = current.RoundTripsTo(rebuilt, _write);
        if (!roundTrip)
        {
            _write(RoundTripFailed);
        }

        _currentInitDiff.ResetWrittenCount();
        _rebuiltInitDiff.ResetWrittenCount();
        current.InitDiff(_currentInitDiff);
        rebuilt.InitDiff(_rebuiltInitDiff);
        bool target = _currentInitDiff.WrittenSpan.SequenceEqual(_rebuiltInitDiff.WrittenSpan);
        if (!target)
        {
            _write(TargetStateFailed);
        }

        return roundTrip && target;
    }
}
