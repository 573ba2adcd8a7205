using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>Records parser actions as readable strings, e.g. <c>Print(a)</c>, <c>Csi(?|1;2|h)</c>.</summary>
internal readonly struct RecordingHandler : IParserHandler
{
    private readonly List<string> _actions;

    public RecordingHandler()
    {
        _actions = [];
    }

    public IReadOnlyList<string> Actions => _actions;

    public static IReadOnlyList<string> Parse(byte[] input)
    {
        var parser = new AnsiParser();
        var handler = new RecordingHandler();
        parser.Feed(input, ref handler);
        return handler.Actions;
    }

    public static IReadOnlyList<string> Parse(string input) => Parse(Encoding.UTF8.GetBytes(input));

    private static string Cp(int cp) => cp >= 0x20 && cp < 0x7F ? ((char)cp).ToString() : $"U+{cp:X4}";

    private static string Params(CsiParams p)
    {
        var parts = new List<string>();
        for (int i = 0; i < p.Count; i++)
        {
            string part = p[i].ToString();
            foreach (int sub in p.SubParameters(i))
            {
                part += ":" + sub;
            }

            parts.Add(part);
        }

        return string.Join(";", parts);
    }

    public void Print(int codePoint) => _actions.Add($"Print({Cp(codePoint)})");

    public void PrintAscii(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            _actions.Add($"Print({(char)b})");
        }
    }

    public void Execute(int control) => _actions.Add($"Execute({control:X2})");

    public int TakeLines(ReadOnlySpan<byte> following) => 0;

    public void EscDispatch(ReadOnlySpan<byte> intermediates, int final) =>
        _actions.Add($"Esc({Encoding.ASCII.GetString(intermediates)}|{Cp(final)})");

    public void CsiDispatch(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final) =>
        _actions.Add($"Csi({Encoding.ASCII.GetString(intermediates)}|{Params(parameters)}|{Cp(final)})");

    // Recorded as the CsiDispatch it stands for, so expectations do not depend on where a sequence was cut.
    public void SelectGraphicRendition(ReadOnlySpan<int> parameters) => CsiDispatch(CsiParams.Plain(parameters), default, 'm');

    public void DcsHook(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final) =>
        _actions.Add($"Hook({Encoding.ASCII.GetString(intermediates)}|{Params(parameters)}|{Cp(final)})");

    public void DcsPut(int codePoint) => _actions.Add($"Put({Cp(codePoint)})");

    public void DcsUnhook() => _actions.Add("Unhook");

    public void OscStart() => _actions.Add("OscStart");

    public void OscPut(int codePoint) => _actions.Add($"OscPut({Cp(codePoint)})");

    public void OscEnd() => _actions.Add("OscEnd");
}
