using Mosh.Prediction;
using Mosh.StateSync;
using Mosh.Terminal;

namespace Mosh.Client;

/// <summary>
/// Speculative local echo in the client (upstream's prediction overlay as STMClient drives it): the user's
/// keystrokes are predicted before they go to the server, the transport's progress tells the engine which
/// frames the server has seen and echoed, and every frame shown is first judged and then painted with the
/// predictions still believed. It sits first in the overlay list so the notification bar covers it.
/// </summary>
internal sealed class PredictionOverlay : IFrameOverlay
{
    private readonly PredictionEngine _engine;

    public PredictionOverlay(DisplayPreference preference, bool predictOverwrite) =>
        _engine = new PredictionEngine(preference, predictOverwrite);

    /// <summary>
    /// The settings the mosh wrapper passes in MOSH_PREDICTION_DISPLAY and MOSH_PREDICTION_OVERWRITE.
    /// </summary>
    /// <exception cref="FormatException">"Unknown prediction mode X."</exception>
    public static PredictionOverlay FromEnvironment() => new(
        PredictionSettings.ParseDisplayPreference(Environment.GetEnvironmentVariable(PredictionSettings.DisplayVariable)),
        PredictionSettings.ParseOverwrite(Environment.GetEnvironmentVariable(PredictionSettings.OverwriteVariable)));

    public DisplayPreference Preference => _engine.Preference;

    /// <summary>
    /// Predicts keystrokes just read from the user, before they are pushed to the transport: they will travel in
    /// the state after the last one sent, which is how the engine later recognises the server's echo of them.
    /// </summary>
    public void UserInput(ReadOnlySpan<byte> keystrokes, Transport<UserStream, CompleteTerminal> transport, long now)
    {
        _engine.SetLocalFrameSent(transport.SentStateLast);
        _engine.NewUserInput(keystrokes, transport.LatestRemoteState.State.Framebuffer, now);
    }

    /// <summary>After datagrams arrived: which of our states the server holds and has echoed, and the link speed.</summary>
    public void NetworkProgress(Transport<UserStream, CompleteTerminal> transport)
    {
        _engine.SetLocalFrameAcked(transport.SentStateAcked);
        _engine.SetSendInterval(transport.SendInterval);
        _engine.SetLocalFrameLateAcked(transport.LatestRemoteState.State.EchoAck);
    }

    /// <summary>The window changed size: every prediction is void.</summary>
    public void Reset() => _engine.Reset();

    /// <summary>ms until the engine's timing triggers need another look, or int.MaxValue.</summary>
    public int WaitTime() => _engine.WaitTime();

    /// <summary>Judges the predictions against the server's frame (still without overlays), then draws the survivors on it.</summary>
    public void Apply(Framebuffer frame, long now)
    {
        _engine.Cull(frame, now);
        _engine.Apply(frame);
    }
}
