using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Prediction;

/// <summary>A link the harness's UDP relay imitates: a round trip (half each way) and a loss rate applied to both directions.</summary>
internal sealed record NetworkCondition(int RoundTripMs, double Loss = 0)
{
    public RelayImpairment Impairment => new() { DelayMs = RoundTripMs / 2.0, LossProbability = Loss };

    public override string ToString() =>
        Loss > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{RoundTripMs} ms RTT, {Loss:P0} loss")
            : string.Create(CultureInfo.InvariantCulture, $"{RoundTripMs} ms RTT");
}
