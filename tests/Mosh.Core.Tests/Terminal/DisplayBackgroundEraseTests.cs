using System.Globalization;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// Erasing, inserting, deleting and scrolling with a background colour selected (bce), through the whole path a
/// session takes: the server's emulator, its diff, the client's emulator, the client's diff for a bce terminal
/// (xterm-256color) and that terminal. Every cell must end up in the background the program gave it.
/// </summary>
[TestFixture]
public class DisplayBackgroundEraseTests
{
    private const int Width = 80;
    private const int Height = 24;

    private static readonly string[] s_operations =
        ["[0K", "[1K", "[2K", "[0J", "[1J", "[2J", "[5X", "[2L", "[2M", "[2S", "[2T", "[3@", "[3P"];

    private static string Lines()
    {
        var text = new StringBuilder("\e[0m\e[H\e[2J");
        for (int line = 1; line <= 12; line++)
        {
            text.Append(CultureInfo.InvariantCulture, $"line {line} of text, long enough to be erased in part\r\n");
        }

        return text.ToString();
    }

    [TestCaseSource(nameof(s_operations))]
    public void EveryCellReachesTheUsersTerminalInTheBackgroundTheProgramErasedItIn(string operation)
    {
        Emulator server = EmulatorTesting.New(Width, Height).Run(Lines());
        var client = new Emulator(server.Framebuffer.Clone());
        var terminal = new Emulator(server.Framebuffer.Clone());
        Framebuffer serverBefore = server.Framebuffer.Clone();
        Framebuffer clientBefore = client.Framebuffer.Clone();

        server.Run($"\e[44m\e[7;10H\e{operation}\e[20;1Hdone");
        client.Run(Display.ForServer().NewFrame(true, serverBefore, server.Framebuffer));
        terminal.Run(new Display(hasEch: true, hasBce: true, hasTitle: true).NewFrame(true, clientBefore, client.Framebuffer));

        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                Assert.That(
                    terminal.Cell(y, x).Renditions.Background, Is.EqualTo(server.Cell(y, x).Renditions.Background),
                    $"background at row {y}, column {x}");
            }

            Assert.That(terminal.Line(y), Is.EqualTo(server.Line(y)), $"text of row {y}");
        }
    }
}
