using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// The C library's locale as mosh-client and mosh-server check it at start-up: both adopt the native locale
/// (<c>setlocale(LC_ALL, "")</c>) and refuse to run unless its character set is UTF-8. Environment changes must be
/// made with <see cref="SetVariable"/>/<see cref="UnsetVariable"/>, because .NET keeps its own copy of the
/// environment and setlocale reads the C library's.
/// </summary>
internal static class NativeLocale
{
    /// <summary>The locale variables upstream clears before applying the client's (<c>clear_locale_variables</c>).</summary>
    public static readonly string[] Variables =
    [
        "LANG", "LANGUAGE", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES",
        "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION", "LC_ALL",
    ];

    /// <summary>
    /// Adopts the locale the environment names. Returns null on success, else upstream's diagnostic (the requested
    /// locale is not installed here).
    /// </summary>
    public static string? Adopt()
    {
        if (LibC.SetLocale(LibC.LC_ALL, "") != 0)
        {
            return null;
        }

        int error = Marshal.GetLastPInvokeError();
        if (error != LibC.ENOENT)
        {
            return $"setlocale: {Marshal.GetPInvokeErrorMessage(error)}\n";
        }

        (string name, string value) = CharacterTypeVariable();
        string message = $"The locale requested by {Describe(name, value)} isn't available here.\n";
        if (name.Length != 0)
        {
            message += $"Running `locale-gen {value}' may be necessary.\n\n";
        }

        return message;
    }

    /// <summary>The current locale's character set, "US-ASCII" for glibc's ANSI_X3.4-1968 (as upstream).</summary>
    public static string Charset
    {
        get
        {
            string codeset = Marshal.PtrToStringUTF8(LibC.NlLangInfo(LibC.CODESET)) ?? string.Empty;
            return codeset == "ANSI_X3.4-1968" ? "US-ASCII" : codeset;
        }
    }

    public static bool IsUtf8 => Charset is "UTF-8" or "utf-8";

    /// <summary>
    /// The variable that decides the character type, as upstream names it in diagnostics: LC_ALL, else LC_CTYPE,
    /// else LANG; an empty name when none is set.
    /// </summary>
    public static (string Name, string Value) CharacterTypeVariable()
    {
        foreach (string name in (ReadOnlySpan<string>)["LC_ALL", "LC_CTYPE", "LANG"])
        {
            if (GetVariable(name) is { } value)
            {
                return (name, value);
            }
        }

        return (string.Empty, string.Empty);
    }

    /// <summary>Upstream's <c>LocaleVar::str()</c>: "NAME=value" or "[no charset variables]".</summary>
    public static string Describe(string name, string value) =>
        name.Length == 0 ? "[no charset variables]" : $"{name}={value}";

    /// <summary>Describes the current character-type variable.</summary>
    public static string DescribeCharacterType()
    {
        (string name, string value) = CharacterTypeVariable();
        return Describe(name, value);
    }

    /// <summary>Sets a variable in both the C library's environment and .NET's copy.</summary>
    public static void SetVariable(string name, string value)
    {
        _ = LibC.SetEnv(name, value, 1);
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Removes a variable from both the C library's environment and .NET's copy.</summary>
    public static void UnsetVariable(string name)
    {
        _ = LibC.UnsetEnv(name);
        Environment.SetEnvironmentVariable(name, null);
    }

    /// <summary>Removes every locale variable (upstream's <c>clear_locale_variables</c>).</summary>
    public static void ClearVariables()
    {
        foreach (string name in Variables)
        {
            UnsetVariable(name);
        }
    }

    /// <summary>The C library's value of a variable (what setlocale sees).</summary>
    public static string? GetVariable(string name)
    {
        nint value = LibC.GetEnv(name);
        return value == 0 ? null : Marshal.PtrToStringUTF8(value);
    }

}
