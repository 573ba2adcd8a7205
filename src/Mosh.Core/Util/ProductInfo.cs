using System.Reflection;

namespace Mosh.Util;

/// <summary>Name and version shared by the three executables (the version comes from the top-level VERSION file).</summary>
internal static class ProductInfo
{
    public static string Version { get; } =
        typeof(ProductInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The banner every executable prints for --version, in upstream's shape.</summary>
    public static string VersionBanner(string program) =>
        $"{program} (Mosh for .NET) {Version}\n" +
        "Copyright the Mosh for .NET authors.\n" +
        "License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n" +
        "This is free software: you are free to change and redistribute it.\n" +
        "There is NO WARRANTY, to the extent permitted by law.\n";
}
