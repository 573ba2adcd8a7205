using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

public enum TerminalKind
{
    /// <summary>The strict interpreter of the display's vocabulary (<see cref="DisplayReplayTerminal"/>).</summary>
    Replay,

    /// <summary>The real emulator, which mosh-client runs the server's diffs through.</summary>
    Emulator,
}

/// <summary>A terminal the display's output is fed to in tests.</summary>
internal interface IDisplayTestTerminal
{
    Framebuffer Frame { get; }

    void Resize(int width, int height);

    void Feed(string text);
}

internal static class DisplayTestTerminal
{
    public static IDisplayTestTerminal Create(TerminalKind kind, int width, int height) => kind switch
    {
        TerminalKind.Replay => new Replay(new DisplayReplayTerminal(width, height)),
        _ => new EmulatorTerminal(new Emulator(width, height)),
    };

    private sealed class Replay(DisplayReplayTerminal terminal) : IDisplayTestTerminal
    {
        public Framebuffer Frame => terminal.Frame;

        public void Resize(int width, int height) => terminal.Resize(width, height);

        public void Feed(string text) => terminal.Feed(text);
    }

    private sealed class EmulatorTerminal(Emulator emulator) : IDisplayTestTerminal
    {
        public Framebuffer Frame => emulator.Framebuffer;

        public void Resize(int width, int height) => emulator.Resize(width, height);

        public void Feed(string text) => emulator.Write(Encoding.UTF8.GetBytes(text));
    }
}
