using System.Text;
using Mosh.Prediction;
using Mosh.Terminal;

namespace Mosh.Tests.Prediction;

/// <summary>
/// A scripted mosh session around a <see cref="PredictionEngine"/>: the server side is a real
/// <see cref="Emulator"/> fed byte strings, the client numbers the user frames it sends, learns the server's
/// echo ack when a frame arrives, and renders (cull, copy, apply) like mosh-client. Time is a fake clock.
/// </summary>
internal sealed class EchoScript
{
    private readonly Emulator _server;
    private Framebuffer _received;
    private ulong _framesSent;

    public EchoScript(DisplayPreference preference = DisplayPreference.Always, int width = 80, int height = 24,
        int sendInterval = 100, bool overwrite = false, bool judgesSettledRowsWhole = true)
    {
        _server = new Emulator(width, height);
        _received = _server.Framebuffer.Clone();
        Engine = new PredictionEngine(preference, overwrite) { JudgesSettledRowsWhole = judgesSettledRowsWhole };
        Engine.SetSendInterval(sendInterval);
    }

    public PredictionEngine Engine { get; }

    /// <summary>Fake clock, milliseconds.</summary>
    public long Now { get; private set; } = 1_000_000;

    /// <summary>The server frame the client holds.</summary>
    public Framebuffer Received => _received;

    public void Advance(long milliseconds) => Now += milliseconds;

    /// <summary>The user types: keystrokes go to the engine, then out in the next user frame.</summary>
    public EchoScript Type(string keys) => TypeBytes(Encoding.UTF8.GetBytes(keys));

    public EchoScript TypeBytes(ReadOnlySpan<byte> keys)
    {
        Engine.SetLocalFrameSent(_framesSent);
        Engine.NewUserInput(keys, _received, Now);
        _framesSent++;
        return this;
    }

    /// <summary>
    /// The server's application prints <paramref name="output"/> after processing the frames sent so far but
    /// the last <paramref name="framesInFlight"/>, and the client receives the new frame with that echo ack.
    /// </summary>
    public EchoScript ServerPrints(string output, int framesInFlight = 0)
    {
        _server.Write(Encoding.UTF8.GetBytes(output));
        _received = _server.Framebuffer.Clone();
        Engine.SetLocalFrameAcked(_framesSent);
        Engine.SetLocalFrameLateAcked(_framesSent - (ulong)framesInFlight);
        return this;
    }

    /// <summary>The server received the frames but its screen shows nothing new yet (no echo ack).</summary>
    public EchoScript ServerReceivesOnly()
    {
        Engine.SetLocalFrameAcked(_framesSent);
        return this;
    }

    /// <summary>What mosh-client would display now: cull against the received frame, copy, apply predictions.</summary>
    public Framebuffer Render()
    {
        Engine.Cull(_received, Now);
        Framebuffer shown = _received.Clone();
        Engine.Apply(shown);
        return shown;
    }

    /// <summary>A displayed row's text without trailing blanks.</summary>
    public string Line(int row) => Render().GetRow(row).ToString().TrimEnd();

    public (int Row, int Column) Cursor()
    {
        Framebuffer shown = Render();
        return (shown.State.CursorRow, shown.State.CursorColumn);
    }

    /// <summary>Whether the engine knows the first <paramref name="length"/> cells of the received frame's row as a prompt.</summary>
    public bool KnowsPrompt(int row, int length) => Engine.KnownPrompts.Contains(_received.GetRow(row), length);

    /// <summary>Types keys the server echoes exactly, so the current epoch is confirmed.</summary>
    public EchoScript TypeEchoed(string keys)
    {
        Type(keys);
        ServerPrints(keys);
        Render();
        return this;
    }
}
