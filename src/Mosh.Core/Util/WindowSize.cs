using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>A terminal's size, laid out as the kernel's <c>struct winsize</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal record struct WindowSize(ushort Rows, ushort Columns, ushort PixelWidth = 0, ushort PixelHeight = 0);
