using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>glibc x86-64 <c>struct termios</c> (60 bytes): the line discipline settings of a terminal.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TerminalAttributes
{
    /// <summary>c_iflag bit: input is UTF-8, so erasing a character removes a whole multi-byte sequence.</summary>
    public const uint IUTF8 = 0x4000;

    /// <summary>c_lflag bits used to recognise raw mode.</summary>
    public const uint ISIG = 0x1, ICANON = 0x2, ECHO = 0x8;

    /// <summary>c_iflag bit: map CR to NL on input.</summary>
    public const uint ICRNL = 0x100;

    /// <summary>c_oflag bit: post-process output (e.g. NL to CR NL).</summary>
    public const uint OPOST = 0x1;

    public uint InputFlags;
    public uint OutputFlags;
    public uint ControlFlags;
    public uint LocalFlags;
    public byte LineDiscipline;
    public fixed byte ControlCharacters[32];
    public uint InputSpeed;
    public uint OutputSpeed;
}
