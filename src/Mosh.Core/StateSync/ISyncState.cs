using System.Buffers;

namespace Mosh.StateSync;

/// <summary>
/// A state the transport keeps synchronised between the two ends (upstream's <c>MyState</c>/<c>RemoteState</c>
/// template parameter): the client's <see cref="UserStream"/> going to the server and the server's terminal going to
/// the client. The transport numbers snapshots of it, sends the diff between two snapshots and rebuilds snapshots on
/// the other side by applying diffs to copies of older ones.
/// </summary>
/// <remarks>
/// Implementations are reference types: the transport stores <see cref="Clone"/>s and relies on them being
/// independent of the original. Equality (<see cref="IEquatable{T}.Equals(T)"/>) is what decides whether anything is
/// left to send, so it must be exactly "a diff between the two would be empty".
/// </remarks>
internal interface ISyncState<TSelf> : IEquatable<TSelf>
    where TSelf : class, ISyncState<TSelf>
{
    /// <summary>An independent copy (upstream copies states by value).</summary>
    TSelf Clone();

    /// <summary>
    /// Writes the diff (an encoded protobuf message, possibly empty) that turns <paramref name="existing"/> into this
    /// state. <paramref name="existing"/> is an older snapshot of the same stream.
    /// </summary>
    void DiffFrom(TSelf existing, IBufferWriter<byte> output);

    /// <summary>Writes the diff from the initial (empty) state to this one.</summary>
    void InitDiff(IBufferWriter<byte> output);

    /// <summary>
    /// Applies a diff produced by <see cref="DiffFrom"/> on the peer. Returns false, leaving the state unchanged, if
    /// the diff is malformed; the transport then drops the instruction that carried it.
    /// </summary>
    bool TryApply(ReadOnlySpan<byte> diff);

    /// <summary>
    /// About how many bytes this state holds that no other snapshot shares, which the receiver bounds its queue of
    /// states by. States whose snapshots share their storage (the terminal's rows are copy-on-write, and its size is
    /// clamped) count nothing; states that copy their contents (the user stream) count them.
    /// </summary>
    long HeldBytes => 0;

    /// <summary>
    /// A lower bound on the bytes <see cref="DiffFrom"/>(<paramref name="existing"/>) writes, counted only until it
    /// reaches <paramref name="enough"/>: lets the sender skip a diff it would compute only to find it too long (the
    /// prospective resend, when the frames it would replace carried scrollback). 0 when nothing is certain.
    /// </summary>
    long DiffSizeAtLeast(TSelf existing, long enough) => 0;

    /// <summary>
    /// Drops what <paramref name="prefix"/> (an older snapshot, possibly this very object) already holds, so that
    /// acknowledged history is not kept or re-sent. States without history may do nothing.
    /// </summary>
    void Subtract(TSelf prefix);

    /// <summary>
    /// Whether <paramref name="rebuilt"/> (an older snapshot with this state's diff from it applied, as the peer
    /// rebuilds it) came out as this state: upstream's <c>compare()</c>, the sender's verbose self-check. Equality by
    /// default; a state whose representation holds what no diff carries (a terminal's bell count, its hyperlink ids)
    /// compares what the peer sees instead, and may describe the differences to <paramref name="explain"/>.
    /// </summary>
    bool RoundTripsTo(TSelf rebuilt, Action<string>? explain) => Equals(rebuilt);

    /// <summary>
    /// The state to send in the next frame to a receiver holding <paramref name="assumedReceiver"/>: this state, or
    /// a copy that holds back part of what this one has beyond the receiver (the terminal's scrollback beyond a
    /// per-frame budget), so that the rest follows in later frames at the frame rate. The sender stores what it
    /// returns as the state sent; this state stays pending until a frame reaches it.
    /// </summary>
    TSelf FrameFor(TSelf assumedReceiver) => (TSelf)this;

    /// <summary>
    /// A frame for <paramref name="assumedReceiver"/> with this state's interactive part (the screen) but none of the
    /// bulk data beyond what the receiver holds (forwarded streams), for a change that may not wait for the frame
    /// rate (<see cref="TransportSender{TState}.Expedite"/>); null when the state has no bulk data to hold back.
    /// </summary>
    TSelf? InteractiveFrameFor(TSelf assumedReceiver) => default;

    /// <summary>
    /// Whether everything this state holds beyond <paramref name="sent"/> (the last frame sent) is background data
    /// that may follow at half the frame rate, twice a frame's budget at a time (the terminal's scrollback with the
    /// screen unchanged): the same throughput in half the frames. False for anything the peer shows at once.
    /// </summary>
    bool OnlyBackgroundBeyond(TSelf sent) => false;

    /// <summary>Whether this frame carries bulk data beyond <paramref name="assumedReceiver"/> (forwarded streams).</summary>
    bool CarriesBulkBeyond(TSelf assumedReceiver) => false;

    /// <summary>
    /// Whether this state holds strictly less than <paramref name="other"/>, which extends it (a frame cut by
    /// <see cref="FrameFor"/> and sent from an older state after a newer, longer frame): a receiver consuming the
    /// states' differences must not step back to it, or what it already consumed would come again.
    /// </summary>
    bool IsBehind(TSelf other) => false;
}
