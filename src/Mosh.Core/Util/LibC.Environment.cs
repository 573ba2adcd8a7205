using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// The C library's environment and locale. .NET keeps its own copy of the environment; these reach the one that
/// setlocale reads and that children spawned with <c>environ</c> inherit.
/// </summary>
internal static unsafe partial class LibC
{
    // setlocale(3) category and nl_langinfo(3) item.
    public const int LC_ALL = 6;
    public const int CODESET = 14;

    [LibraryImport(Library, EntryPoint = "setlocale", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint SetLocale(int category, string locale);

    [LibraryImport(Library, EntryPoint = "nl_langinfo")]
    public static partial nint NlLangInfo(int item);

    [LibraryImport(Library, EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GetEnv(string name);

    [LibraryImport(Library, EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport(Library, EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnsetEnv(string name);
}
