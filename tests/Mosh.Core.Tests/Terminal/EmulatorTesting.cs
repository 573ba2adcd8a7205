using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>Small conveniences for emulator tests.</summary>
internal static class EmulatorTesting
{
    public static Emulator New(int width = 80, int height = 24) => new(width, height);

    public static Emulator Run(this Emulator emulator, string text)
    {
        emulator.Write(Encoding.UTF8.GetBytes(text));
        return emulator;
    }

    /// <summary>Row text without trailing blanks.</summary>
    public static string Line(this Emulator emulator, int row) => emulator.Framebuffer.GetRow(row).ToString().TrimEnd();

    public static string Text(this Emulator emulator, int row, int col) => emulator.Framebuffer.GetRow(row).GetTextString(col);

    public static ref readonly Cell Cell(this Emulator emulator, int row, int col) => ref emulator.Framebuffer.GetCell(row, col);

    public static (int Row, int Col) Cursor(this Emulator emulator) =>
        (emulator.Framebuffer.State.CursorRow, emulator.Framebuffer.State.CursorColumn);

    public static string Answers(this Emulator emulator) => Encoding.UTF8.GetString(emulator.TerminalToHost);
}
