using System.Text;

namespace Mosh.Util;

/// <summary>
/// syslog(3) at LOG_INFO, without openlog, as upstream's mosh-server calls it: glibc tags the message with the
/// program's name and sends it to /dev/log, or drops it quietly when no syslog daemon listens there.
/// </summary>
internal static unsafe class Syslog
{
    /// <summary>Logs <paramref name="message"/> verbatim (it is passed through "%s", never as a format).</summary>
    public static void Info(string message)
    {
        byte[] text = new byte[Encoding.UTF8.GetByteCount(message) + 1]; // NUL-terminated
        Encoding.UTF8.GetBytes(message, text);
        fixed (byte* format = "%s\0"u8)
        fixed (byte* argument = text)
        {
            LibC.SyslogFormat(LibC.LOG_INFO, format, argument);
        }
    }
}
