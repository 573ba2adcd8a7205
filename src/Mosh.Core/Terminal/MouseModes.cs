namespace Mosh.Terminal;

/// <summary>Which mouse events the application asked for (DEC private modes 9, 1000-1003; one at a time).</summary>
internal enum MouseReportingMode
{
    None = 0,
    X10 = 9,
    Vt220 = 1000,
    Vt220Highlight = 1001,
    ButtonEvent = 1002,
    AnyEvent = 1003,
}

/// <summary>How mouse events are encoded (DEC private modes 1005, 1006, 1015; one at a time).</summary>
internal enum MouseEncodingMode
{
    Default = 0,
    Utf8 = 1005,
    Sgr = 1006,
    Urxvt = 1015,
}
