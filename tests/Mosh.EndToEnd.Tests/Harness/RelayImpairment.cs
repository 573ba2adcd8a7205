namespace Mosh.EndToEnd.Harness;

/// <summary>
/// What the relay does to one direction of traffic. Immutable: change it at run time by assigning a new value
/// (<c>relay.ToServer = relay.ToServer with { LossProbability = 0.3 }</c>).
/// </summary>
internal sealed record RelayImpairment
{
    public static readonly RelayImpairment None = new();

    /// <summary>Fixed one-way delay added to every datagram.</summary>
    public double DelayMs { get; init; }

    /// <summary>Extra delay drawn uniformly from [0, JitterMs) per datagram; larger than the gap between
    /// datagrams, it reorders them.</summary>
    public double JitterMs { get; init; }

    /// <summary>Probability that a datagram is dropped.</summary>
    public double LossProbability { get; init; }

    /// <summary>Probability that a datagram is delivered twice (the copy with its own delay and jitter).</summary>
    public double DuplicateProbability { get; init; }

    /// <summary>Probability that a datagram is held back an extra <see cref="ReorderHoldMs"/>, so later ones
    /// overtake it (explicit reordering).</summary>
    public double ReorderProbability { get; init; }

    public double ReorderHoldMs { get; init; } = 50;
}
