using System.Reflection;

namespace Mosh.Util;

/// <summary>Name and version shared by the three executables (the version comes from the top-level VERSION file).</summary>
internal static class ProductInfo
{
    public static string Version { get; } =
        typeof(ProductInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// The line mosh-server's --version adds when it has <c>list</c>/<c>attach</c>/<c>kill</c>. The wrapper looks for
    /// it before asking for those: --version is the one probe that is safe on upstream's server, which reads any
    /// other unknown one- or two-word command line as <c>IP [PORT]</c> and starts a stray session.
    /// </summary>
    public const string SessionCommandsFeature = "Features: session list/attach/kill";

    /// <summary>The banner every executable prints for --version, in upstream's shape.</summary>
    public static string VersionBanner(string program) =>
        $"{program} (Mosh for .NET) {Version}\n" +
        "Copyright the Mosh for .NET authors.\n" +
        "License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n" +
        "This is free software: you are free to change and redistribute it.\n" +
        "There is NO WARRANTY, to the extent permitted by law.\n";
}
